using System.Globalization;
using System.Net;
using System.Text;

namespace Personalize.LoadTests.Reporting;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, no script) so it opens from a CI artifact
/// or a mail attachment with nothing else around it.
/// </summary>
public static class HtmlReport
{
    private const int Width = 760;
    private const int Height = 320;
    private const int Pad = 50;
    private const string Style =
        "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}" +
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}" +
        ".fail{color:#c00;font-weight:bold}.pass{color:#080}svg{background:#fff;border:1px solid #ddd}";
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];

    public static string Render(RunReport report)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html><html><head><meta charset="utf-8"><title>Load test {E(report.RunId)}</title>
            <style>{Style}</style></head><body>
            <h1>Load test {E(report.RunId)} · {E(report.Profile)} · <span class="{(report.Passed ? "pass" : "fail")}">{(report.Passed ? "passed" : "FAILED")}</span></h1>
            <p>{report.StartedAt:u} · {report.Machine.ProcessorCount} cores · {E(report.Machine.Os)} · {E(report.Machine.Framework)}</p>
            <table><tr><th>scenario</th><th>target</th><th>shoppers</th><th>sent</th><th>ack</th><th>pushes exp/recv</th><th>lost</th><th>errors</th>
            <th>throughput/s</th><th>track p50/p99/max ms</th><th>push p50/p99/max ms</th><th>load generator's own GC</th><th>thresholds</th></tr>
            """);
        foreach (var s in report.Scenarios)
        {
            var failed = s.Thresholds.Where(t => !t.Passed).Select(t => $"{t.Name} (was {t.Actual})").ToArray();
            html.Append(CultureInfo.InvariantCulture, $"""
                <tr><td>{E(s.Name)}</td><td>{E(s.Target)}</td><td>{s.Shoppers}</td><td>{s.Sent}</td><td>{s.Acknowledged}</td>
                <td>{s.PushesExpected}/{s.PushesReceived}</td><td>{s.Lost}</td><td>{s.Errors}</td><td>{s.ThroughputPerSec}</td>
                <td>{s.LatencyMs.Track.P50} / {s.LatencyMs.Track.P99} / {s.LatencyMs.Track.Max}</td>
                <td>{s.LatencyMs.Push.P50} / {s.LatencyMs.Push.P99} / {s.LatencyMs.Push.Max}</td>
                <td>{E(s.GeneratorGc?.Describe() ?? "–")}</td>
                <td class="{(failed.Length == 0 ? "pass" : "fail")}">{(failed.Length == 0 ? "pass" : E(string.Join("; ", failed)))}</td></tr>
                """);
        }
        html.Append("</table><h2>Latency by percentile</h2>");
        html.Append(PercentileChart(report));
        html.Append("<h2>Acknowledged events per second</h2>");
        html.Append(ThroughputChart(report));
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>
    /// x: percentile on a "nines" scale (50, 90, 99, 99.9 … equally spaced) so the tail is visible;
    /// y: milliseconds on a log scale, since medians and tails differ by orders of magnitude.
    /// </summary>
    private static string PercentileChart(RunReport report)
    {
        var series = report.Scenarios
            .SelectMany(s => new[] { "track", "push" }.Select(kind => (Label: $"{s.Name} {kind}", Points: s.Curves.GetValueOrDefault(kind) ?? [])))
            .Where(x => x.Points.Count > 0)
            .ToArray();
        if (series.Length == 0)
        {
            return "<p>No latency recorded.</p>";
        }
        const double maxNines = 5;
        var maxMs = series.Max(x => x.Points.Max(p => p[1]));
        var minMs = Math.Max(0.01, series.Min(x => x.Points.Min(p => p[1])));
        var lo = Math.Floor(Math.Log10(minMs));
        var hi = Math.Ceiling(Math.Log10(Math.Max(maxMs, minMs * 10)));
        double X(double percentile) => Pad + (Width - 2 * Pad) * Math.Min(maxNines, Math.Log10(100 / Math.Max(1e-5, 100 - percentile))) / maxNines;
        double Y(double ms) => Height - Pad - (Height - 2 * Pad) * (Math.Log10(Math.Max(ms, minMs)) - lo) / (hi - lo);

        var svg = Open();
        foreach (var (label, p) in new[] { ("0", 0.0), ("50", 50), ("90", 90), ("99", 99), ("99.9", 99.9), ("99.99", 99.99), ("max", 99.999) })
        {
            svg.Append(Tick(X(p), Height - Pad + 16, label, vertical: true, X(p)));
        }
        for (var e = lo; e <= hi; e++)
        {
            svg.Append(Tick(Pad - 6, Y(Math.Pow(10, e)) + 4, FormatMs(Math.Pow(10, e)), vertical: false, Y(Math.Pow(10, e))));
        }
        for (var i = 0; i < series.Length; i++)
        {
            var points = string.Join(" ", series[i].Points.Select(p => $"{X(p[0] >= 100 ? 99.999 : p[0]):0.#},{Y(p[1]):0.#}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Colors[i % Colors.Length]}\" stroke-width=\"2\" points=\"{points}\"/>");
        }
        return Close(svg, series.Select(s => s.Label).ToArray(), "percentile", "ms");
    }

    private static string ThroughputChart(RunReport report)
    {
        var series = report.Scenarios.Where(s => s.ThroughputTimeline.Count > 1).ToArray();
        if (series.Length == 0)
        {
            return "<p>No throughput recorded.</p>";
        }
        var maxSeconds = series.Max(s => s.ThroughputTimeline.Count);
        var maxRate = Math.Max(1, series.Max(s => s.ThroughputTimeline.Max()));
        double X(int second) => Pad + (Width - 2 * Pad) * second / (double)maxSeconds;
        double Y(double rate) => Height - Pad - (Height - 2 * Pad) * rate / maxRate;
        var svg = Open();
        for (var t = 0; t <= maxSeconds; t += Math.Max(1, maxSeconds / 10))
        {
            svg.Append(Tick(X(t), Height - Pad + 16, $"{t}s", vertical: true, X(t)));
        }
        for (var k = 0; k <= 4; k++)
        {
            var rate = maxRate * k / 4;
            svg.Append(Tick(Pad - 6, Y(rate) + 4, rate.ToString("0", CultureInfo.InvariantCulture), vertical: false, Y(rate)));
        }
        for (var i = 0; i < series.Length; i++)
        {
            var points = string.Join(" ", series[i].ThroughputTimeline.Select((r, t) => $"{X(t + 1):0.#},{Y(r):0.#}"));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{Colors[i % Colors.Length]}\" stroke-width=\"2\" points=\"{points}\"/>");
        }
        return Close(svg, series.Select(s => s.Name).ToArray(), "seconds", "ack/s");
    }

    private static StringBuilder Open() => new StringBuilder().Append(CultureInfo.InvariantCulture,
        $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height + 20}\" font-size=\"11\">" +
        $"<rect x=\"{Pad}\" y=\"{Pad}\" width=\"{Width - 2 * Pad}\" height=\"{Height - 2 * Pad}\" fill=\"none\" stroke=\"#999\"/>");

    private static string Close(StringBuilder svg, string[] labels, string xLabel, string yLabel)
    {
        for (var i = 0; i < labels.Length; i++)
        {
            var x = Pad + 10 + i % 4 * 170;
            var y = 14 + i / 4 * 14;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x}\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{Colors[i % Colors.Length]}\"/><text x=\"{x + 14}\" y=\"{y}\">{E(labels[i])}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height + 10}\" text-anchor=\"middle\">{xLabel}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{Height / 2}\" transform=\"rotate(-90 12 {Height / 2})\" text-anchor=\"middle\">{yLabel}</text>");
        return svg.Append("</svg>").ToString();
    }

    private static string Tick(double x, double y, string label, bool vertical, double at) => vertical
        ? FormattableString.Invariant($"<line x1=\"{at:0.#}\" y1=\"{Pad}\" x2=\"{at:0.#}\" y2=\"{Height - Pad}\" stroke=\"#eee\"/><text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"middle\">{E(label)}</text>")
        : FormattableString.Invariant($"<line x1=\"{Pad}\" y1=\"{at:0.#}\" x2=\"{Width - Pad}\" y2=\"{at:0.#}\" stroke=\"#eee\"/><text x=\"{x:0.#}\" y=\"{y:0.#}\" text-anchor=\"end\">{E(label)}</text>");

    private static string FormatMs(double ms) => ms >= 1 ? ms.ToString("0", CultureInfo.InvariantCulture) : ms.ToString("0.##", CultureInfo.InvariantCulture);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
