using System.Collections.Immutable;
using System.Reflection;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// Value equality, hashing and printing for the model records.
/// </summary>
/// <remarks>
/// The compiler-generated record members compare <see cref="ImmutableArray{T}"/> by reference and
/// print it as a type name. The model is compared on reload and in round trips, so it needs
/// element-wise equality. Doing it from the property list (once per type) means a member added
/// later cannot be forgotten in a hand-written Equals.
/// </remarks>
internal static class ModelEquality
{
    public static bool MembersEqual<T>(T self, T? other)
        where T : class
    {
        if (ReferenceEquals(self, other))
        {
            return true;
        }

        if (other is null)
        {
            return false;
        }

        foreach (var member in Members<T>.All)
        {
            if (!member.IsSourceLocation && !member.Comparer.AreEqual(member.Get(self), member.Get(other)))
            {
                return false;
            }
        }

        return true;
    }

    public static int MembersHash<T>(T self)
        where T : class
    {
        var hash = new HashCode();
        foreach (var member in Members<T>.All)
        {
            if (!member.IsSourceLocation)
            {
                hash.Add(member.Comparer.Hash(member.Get(self)));
            }
        }

        return hash.ToHashCode();
    }

    public static bool PrintMembers<T>(T self, StringBuilder builder)
        where T : class
    {
        var first = true;
        foreach (var member in Members<T>.All)
        {
            if (!first)
            {
                builder.Append(", ");
            }

            first = false;
            builder.Append(member.Name).Append(" = ").Append(member.Comparer.Format(member.Get(self)));
        }

        return !first;
    }

    private static class Members<T>
    {
        public static readonly Member[] All = typeof(T)
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && p.GetIndexParameters().Length == 0)
            .Select(p => new Member(
                p.Name,
                p.GetValue,
                p.IsDefined(typeof(SourceLocationAttribute)),
                ComparerFor(p.PropertyType)))
            .ToArray();
    }

    private sealed record Member(string Name, Func<object?, object?> Get, bool IsSourceLocation, IValueComparer Comparer);

    private static IValueComparer ComparerFor(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            var comparerType = typeof(ArrayComparer<>).MakeGenericType(type.GetGenericArguments()[0]);
            return (IValueComparer)Activator.CreateInstance(comparerType)!;
        }

        return ScalarComparer.Instance;
    }

    private interface IValueComparer
    {
        bool AreEqual(object? left, object? right);

        int Hash(object? value);

        string Format(object? value);
    }

    private sealed class ScalarComparer : IValueComparer
    {
        public static readonly ScalarComparer Instance = new();

        public bool AreEqual(object? left, object? right) => Equals(left, right);

        public int Hash(object? value) => value?.GetHashCode() ?? 0;

        public string Format(object? value) => value?.ToString() ?? "null";
    }

    private sealed class ArrayComparer<TElement> : IValueComparer
    {
        public bool AreEqual(object? left, object? right) =>
            Normalise(left).AsSpan().SequenceEqual(Normalise(right).AsSpan(), EqualityComparer<TElement>.Default);

        public int Hash(object? value)
        {
            var hash = new HashCode();
            foreach (var element in Normalise(value))
            {
                hash.Add(element);
            }

            return hash.ToHashCode();
        }

        public string Format(object? value) => "[" + string.Join(", ", Normalise(value)) + "]";

        // A default(ImmutableArray) cannot be enumerated; treat it as empty rather than throw from Equals.
        private static ImmutableArray<TElement> Normalise(object? value) =>
            value is ImmutableArray<TElement> { IsDefault: false } array ? array : [];
    }
}
