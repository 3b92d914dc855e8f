using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// Writes one <see cref="Meter"/>'s instruments in the Prometheus text exposition format (version 0.0.4). A
/// <see cref="MeterListener"/> sums counter increments as they happen; observable instruments are read at each scrape.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly Lock _lock = new();
    private readonly MeterListener _listener = new();
    private readonly Dictionary<Instrument, SortedDictionary<string, double>> _series = [];

    public PrometheusExporter(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                lock (_lock)
                {
                    _series.TryAdd(instrument, new SortedDictionary<string, double>(StringComparer.Ordinal));
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and writes every series.</summary>
    public string Scrape()
    {
        lock (_lock)
        {
            foreach (var (instrument, series) in _series)
            {
                if (instrument.IsObservable)
                {
                    series.Clear();
                }
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var (instrument, series) in _series.OrderBy(s => s.Key.Name, StringComparer.Ordinal))
            {
                text.Append("# HELP ").Append(instrument.Name).Append(' ').Append(EscapeHelp(instrument.Description ?? instrument.Name)).Append('\n');
                text.Append("# TYPE ").Append(instrument.Name).Append(' ').Append(IsCounter(instrument) ? "counter" : "gauge").Append('\n');
                foreach (var (labels, value) in series)
                {
                    text.Append(instrument.Name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
                }
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private static bool IsCounter(Instrument instrument) =>
        instrument.GetType().IsGenericType
        && instrument.GetType().GetGenericTypeDefinition() is var definition
        && (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        lock (_lock)
        {
            if (!_series.TryGetValue(instrument, out var series))
            {
                return;
            }

            // Counters add up increments; observable instruments report their current value at each scrape.
            series[labels] = instrument.IsObservable ? value : series.GetValueOrDefault(labels) + value;
        }
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var sorted = tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal);
        return "{" + string.Join(',', sorted.Select(t => $"{t.Key}=\"{EscapeLabel(Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? string.Empty)}\"")) + "}";
    }

    private static string EscapeLabel(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
