namespace SharpSwan.Config;

internal enum TableShape
{
    /// <summary>Rows named by a string (<c>edit "to-branch"</c>).</summary>
    Named,

    /// <summary>Rows numbered by an id (<c>edit 1</c>; <c>edit 0</c> takes the next free id).</summary>
    Numbered,

    /// <summary>No rows: <c>set</c> directly under <c>config</c> (<c>system global</c>).</summary>
    Object,
}
