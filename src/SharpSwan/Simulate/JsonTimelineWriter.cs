using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SharpSwan.Simulation;

namespace SharpSwan.Simulate;

/// <summary>
/// One JSON object per line: "time" (virtual, ISO 8601), "elapsed" (seconds since the start), "event" and, as they apply,
/// "gateway", "tunnel", "phase2", "spi_in", "spi_out", "ike_spis", "rekey", "packets", "detail". Engine log lines come as
/// "log" events only with --verbose.
/// </summary>
internal sealed class JsonTimelineWriter(TextWriter output, DateTimeOffset start, bool withLog) : TimelineWriter(output, start)
{
    public override void Header(int seed, IReadOnlyList<(string Name, IPAddress Address, string Reason)> gateways) =>
        Write(Start, "start", json =>
        {
            json.WriteNumber("seed", seed);
            json.WriteStartArray("gateways");
            foreach (var (name, address, reason) in gateways)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("address", address.ToString());
                json.WriteString("reason", reason);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        });

    public override void Script(DateTimeOffset time, ScriptCommand command) =>
        Write(time, "script", json =>
        {
            json.WriteNumber("line", command.Line);
            json.WriteString("detail", command.Text);
        });

    public override void Note(DateTimeOffset time, string gateway, string text) =>
        Write(time, "note", json =>
        {
            json.WriteString("gateway", gateway);
            json.WriteString("detail", text);
        });

    public override void Log(SimulationLogLine line)
    {
        if (!withLog)
        {
            return;
        }

        Write(line.Time, "log", json =>
        {
            json.WriteString("gateway", line.Gateway);
            if (TunnelOf(line.Text) is { } tunnel)
            {
                json.WriteString("tunnel", tunnel);
            }

            json.WriteString("detail", line.Text);
        });
    }

    public override void Event(SimulationEvent item) =>
        Write(item.Time, SimulationEvent.KindName(item.Kind), json =>
        {
            json.WriteString("gateway", item.Gateway);
            if (item.Phase1 is { } tunnel)
            {
                json.WriteString("tunnel", tunnel);
            }

            if (item.Phase2 is { } phase2)
            {
                json.WriteString("phase2", phase2);
            }

            if (item.InboundSpi is { } spiIn)
            {
                json.WriteString("spi_in", spiIn.ToString("x8", CultureInfo.InvariantCulture));
            }

            if (item.OutboundSpi is { } spiOut)
            {
                json.WriteString("spi_out", spiOut.ToString("x8", CultureInfo.InvariantCulture));
            }

            if (item.IkeSpis is { } ike)
            {
                json.WriteString("ike_spis", ike);
            }

            if (item.Kind == SimulationEventKind.ChildInstalled)
            {
                json.WriteBoolean("rekey", item.IsRekey);
            }

            if (item.Packets is { } packets)
            {
                json.WriteNumber("packets", packets);
            }

            json.WriteString("detail", item.Detail);
        });

    public override void Flow(DateTimeOffset time, TrafficFlow flow) =>
        Write(time, "traffic", json =>
        {
            json.WriteString("gateway", flow.From.Name);
            json.WriteString("source", flow.Source.ToString());
            json.WriteString("destination", flow.Destination.ToString());
            json.WriteNumber("offered", flow.Offered);
            json.WriteNumber("sent_at_once", flow.SentAtOnce);
            json.WriteNumber("delivered", flow.Delivered);
        });

    public override void Summary(DateTimeOffset time, IReadOnlyList<SimulatedGateway> gateways, InvariantReport report)
    {
        foreach (var gateway in gateways)
        {
            Write(time, "summary", json =>
            {
                json.WriteString("gateway", gateway.Name);
                json.WriteString("address", gateway.LocalAddress.ToString());
                json.WriteBoolean("running", gateway.IsRunning);
                json.WriteStartArray("ike_sas");
                foreach (var ike in gateway.IkeSas)
                {
                    json.WriteStartObject();
                    json.WriteString("tunnel", ike.Phase1);
                    json.WriteString("ike_spis", $"{ike.InitiatorSpi:x16}/{ike.ResponderSpi:x16}");
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("phase2");
                foreach (var phase2 in gateway.Configuration.Phase2)
                {
                    var traffic = gateway.Traffic(phase2.Phase1Name, phase2.Name);
                    json.WriteStartObject();
                    json.WriteString("tunnel", phase2.Phase1Name);
                    json.WriteString("phase2", phase2.Name);
                    json.WriteNumber("rekeys", gateway.Timeline.Count(e => e.Kind == SimulationEventKind.ChildInstalled && e.IsRekey && e.Phase1 == phase2.Phase1Name && e.Phase2 == phase2.Name));
                    json.WriteStartArray("sas");
                    foreach (var sa in gateway.InstalledSas.Where(s => s.Phase1 == phase2.Phase1Name && s.Phase2 == phase2.Name))
                    {
                        json.WriteStartObject();
                        json.WriteString("spi_in", sa.InboundSpi.ToString("x8", CultureInfo.InvariantCulture));
                        json.WriteString("spi_out", sa.OutboundSpi.ToString("x8", CultureInfo.InvariantCulture));
                        json.WriteBoolean("active", sa.IsActiveOutbound);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteNumber("sent", traffic.Sent);
                    json.WriteNumber("delivered", traffic.Delivered);
                    json.WriteNumber("dropped_no_sa", traffic.DroppedWithoutSa);
                    json.WriteNumber("queued", traffic.Queued);
                    json.WriteNumber("queue_dropped", traffic.QueueDropped);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            });
        }

        Write(time, "invariants", json =>
        {
            json.WriteBoolean("hold", report.Holds);
            json.WriteNumber("rekeys", report.Rekeys);
            json.WriteNumber("packets_offered", report.PacketsOffered);
            json.WriteNumber("packets_during_rekeys", report.PacketsDuringRekeys);
            json.WriteNumber("packets_lost_during_rekeys", report.PacketsLostDuringRekeys);
            json.WriteNumber("packets_lost", report.PacketsLost);
            json.WriteStartArray("violations");
            foreach (var violation in report.Violations)
            {
                json.WriteStringValue(violation);
            }

            json.WriteEndArray();
        });
    }

    public override void Failure(DateTimeOffset time, int seed, string message) =>
        Write(time, "failure", json =>
        {
            json.WriteNumber("seed", seed);
            json.WriteString("detail", message);
        });

    /// <summary>`ike 0:vpn:1: ...` → vpn.</summary>
    private static string? TunnelOf(string text)
    {
        const string prefix = "ike 0:";
        if (!text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var end = text.IndexOf(':', prefix.Length);
        return end > prefix.Length ? text[prefix.Length..end] : null;
    }

    private void Write(DateTimeOffset time, string kind, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping keeps '->' and quotes readable; the output is a JSON-lines file, never HTML.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("time", time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteNumber("elapsed", Math.Round((time - Start).TotalSeconds, 3));
            json.WriteString("event", kind);
            body(json);
            json.WriteEndObject();
        }

        Output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
