using System.Globalization;
using System.Text;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Gui;

/// <summary>
/// Timeline of one tunnel: an SVG chart with a lane per event kind (IKE SA, SA installed, rekey, expiry, selector down,
/// negotiation failure, outbound SA switch, trigger-queue drop) over the last hours, and the events as a table. Rendered on the server; no script needed.
/// </summary>
internal static class TimelinePage
{
    public static readonly int[] RangesInHours = [1, 6, 24];

    private const int Width = 960;
    private const int Left = 140;
    private const int Right = 20;
    private const int Top = 16;
    private const int LaneHeight = 34;
    private const int AxisHeight = 28;

    private static readonly (string Label, string Css, TimelineEventKind[] Kinds)[] Lanes =
    [
        ("IKE SA", "ike", [TimelineEventKind.IkeUp, TimelineEventKind.IkeRekey, TimelineEventKind.IkeDown]),
        ("SA installed", "install", [TimelineEventKind.SaInstalled]),
        ("Rekey", "rekey", [TimelineEventKind.SaRekeyed]),
        ("Expired", "expiry", [TimelineEventKind.SaExpired]),
        ("Selector down", "down", [TimelineEventKind.SelectorDown]),
        ("Failure", "failure", [TimelineEventKind.NegotiationFailure]),
        ("Outbound SA", "outbound", [TimelineEventKind.OutboundSwitched]),
        ("Queue drop", "queue-drop", [TimelineEventKind.TriggerQueueDropped]),
    ];

    public static string Render(string tunnel, IReadOnlyList<TimelineEvent> events, DateTimeOffset now, int hours, TimeZoneInfo zone)
    {
        var since = now.AddHours(-hours);
        var ranges = string.Join(" ", RangesInHours.Select(h =>
            $"<a class=\"button{(h == hours ? " active" : "")}\" href=\"/ipsec/timeline/{Html.Path(tunnel)}?hours={h}\">{h} h</a>"));
        var counts = Lanes.Select(l => $"<span class=\"legend {l.Css}\">{l.Label}: <strong>{events.Count(e => l.Kinds.Contains(e.Kind))}</strong></span>");
        return $$"""
            <h1>Timeline: {{Html.Encode(tunnel)}}</h1>
            <div class="toolbar">{{ranges}} <a class="button" href="/ipsec/monitor">IPsec Monitor</a></div>
            <p class="legend-row" id="timeline-summary">Last {{hours}} h: {{string.Join(" ", counts)}}</p>
            {{Chart(events, since, now, hours, zone)}}
            <h2>Events</h2>
            <table class="grid" id="timeline-events">
              <thead><tr><th>Time</th><th>Selector</th><th>Event</th><th>Detail</th></tr></thead>
              <tbody>{{EventRows(events, zone)}}</tbody>
            </table>
            """;
    }

    private static string Chart(IReadOnlyList<TimelineEvent> events, DateTimeOffset since, DateTimeOffset now, int hours, TimeZoneInfo zone)
    {
        var plot = Width - Left - Right;
        var height = Top + (Lanes.Length * LaneHeight) + AxisHeight;
        var span = (now - since).TotalSeconds;
        double X(DateTimeOffset at) => Left + (Math.Clamp((at - since).TotalSeconds, 0, span) / span * plot);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"timeline\" id=\"timeline-chart\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"Tunnel events over the last {hours} hours\">");
        for (var lane = 0; lane < Lanes.Length; lane++)
        {
            var y = Top + (lane * LaneHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"lane{(lane % 2 == 0 ? " even" : "")}\" x=\"{Left}\" y=\"{y}\" width=\"{plot}\" height=\"{LaneHeight}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"lane-label\" x=\"{Left - 8}\" y=\"{y + (LaneHeight / 2) + 4}\" text-anchor=\"end\">{Lanes[lane].Label}</text>");
        }

        var step = hours <= 1 ? TimeSpan.FromMinutes(10) : hours <= 6 ? TimeSpan.FromHours(1) : TimeSpan.FromHours(3);
        var axisY = Top + (Lanes.Length * LaneHeight);
        var localSince = TimeZoneInfo.ConvertTime(since, zone);
        var firstTick = new DateTimeOffset(localSince.Ticks - (localSince.Ticks % step.Ticks), localSince.Offset).Add(step);
        for (var tick = firstTick; tick <= now; tick += step)
        {
            var x = X(tick);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"tick\" x1=\"{x:0.#}\" y1=\"{Top}\" x2=\"{x:0.#}\" y2=\"{axisY + 4}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick-label\" x=\"{x:0.#}\" y=\"{axisY + 18}\" text-anchor=\"middle\">{TimeZoneInfo.ConvertTime(tick, zone):HH:mm}</text>");
        }

        foreach (var e in events)
        {
            var lane = Array.FindIndex(Lanes, l => l.Kinds.Contains(e.Kind));
            var y = Top + (lane * LaneHeight) + (LaneHeight / 2);
            var x = X(e.At);
            var title = $"{TimeZoneInfo.ConvertTime(e.At, zone):HH:mm:ss} {Describe(e.Kind)}{(e.Selector is null ? "" : " " + e.Selector)}: {e.Detail}";
            var shape = e.Kind == TimelineEventKind.IkeDown
                ? string.Create(CultureInfo.InvariantCulture, $"<rect class=\"event ev-ike-down\" x=\"{x - 5:0.#}\" y=\"{y - 5}\" width=\"10\" height=\"10\">")
                : string.Create(CultureInfo.InvariantCulture, $"<circle class=\"event ev-{Lanes[lane].Css}\" cx=\"{x:0.#}\" cy=\"{y}\" r=\"6\">");
            svg.Append(shape).Append("<title>").Append(Html.Encode(title)).Append(e.Kind == TimelineEventKind.IkeDown ? "</title></rect>" : "</title></circle>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string EventRows(IReadOnlyList<TimelineEvent> events, TimeZoneInfo zone)
    {
        if (events.Count == 0)
        {
            return "<tr><td colspan=\"4\" class=\"empty\">No events in this period.</td></tr>";
        }

        var rows = new StringBuilder();
        foreach (var e in events.Reverse())
        {
            rows.Append(CultureInfo.InvariantCulture, $"<tr class=\"event-row\" data-kind=\"{e.Kind}\"><td>{TimeZoneInfo.ConvertTime(e.At, zone):yyyy-MM-dd HH:mm:ss}</td><td>{Html.Encode(e.Selector ?? "-")}</td><td>{Describe(e.Kind)}</td><td>{Html.Encode(e.Detail)}</td></tr>");
        }

        return rows.ToString();
    }

    public static string Describe(TimelineEventKind kind) => kind switch
    {
        TimelineEventKind.IkeUp => "IKE SA established",
        TimelineEventKind.IkeRekey => "IKE SA rekeyed",
        TimelineEventKind.IkeDown => "IKE SA down",
        TimelineEventKind.SaInstalled => "SA installed",
        TimelineEventKind.SaRekeyed => "SA rekeyed",
        TimelineEventKind.SaExpired => "SA expired",
        TimelineEventKind.SelectorDown => "Selector down",
        TimelineEventKind.OutboundSwitched => "Outbound SA switched",
        TimelineEventKind.TriggerQueueDropped => "Held packets dropped",
        _ => "Negotiation failure",
    };
}
