using System.Diagnostics.Metrics;
using SharpSwan.Gateway.Diagnostics;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// Reads a <see cref="GatewayMetrics"/> meter as an exporter does: counters add up their increments, observable
/// instruments report their current value at each <see cref="Collect"/>.
/// </summary>
internal sealed class MetricReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<(string Name, string Tags), long> _series = [];
    private readonly GatewayMetrics _metrics;

    public MetricReader(GatewayMetrics metrics)
    {
        _metrics = metrics;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Takes the engine snapshot and reads the observable instruments.</summary>
    public void Collect()
    {
        _metrics.Refresh(TimeSpan.FromSeconds(5));
        _listener.RecordObservableInstruments();
    }

    /// <summary>The sum of the series of <paramref name="name"/> whose tags include every one given.</summary>
    public long Value(string name, params (string Key, string Value)[] tags) =>
        _series.Where(s => s.Key.Name == name && tags.All(t => s.Key.Tags.Split(',').Contains($"{t.Key}={t.Value}"))).Sum(s => s.Value);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var key = (instrument.Name, string.Join(',', tags.ToArray().Select(t => $"{t.Key}={t.Value}").Order(StringComparer.Ordinal)));
        lock (_series)
        {
            _series[key] = instrument.IsObservable ? value : _series.GetValueOrDefault(key) + value;
        }
    }
}
