using System.Globalization;
using System.Text;
using Personalize.LoadTests.Engine;

namespace Personalize.LoadTests.Reporting;

/// <summary>report.md: the tables a person pastes into an issue or README.</summary>
public static class MarkdownReport
{
    public static string Render(RunReport report)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Load test {report.RunId} ({report.Profile}): {(report.Passed ? "passed" : "FAILED")}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"{report.StartedAt:u} · {report.Machine.ProcessorCount} cores · {report.Machine.Os} · {report.Machine.Framework}");
        md.AppendLine();
        md.AppendLine("| scenario | target | shoppers | sent | ack | pushes exp/recv | lost | errors | throughput/s | track p50/p75/p95/p99/max ms | event→push p50/p75/p95/p99/max ms |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var s in report.Scenarios)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {s.Name} | {s.Target} | {s.Shoppers} | {s.Sent} | {s.Acknowledged} | {s.PushesExpected}/{s.PushesReceived} | {s.Lost} | {s.Errors} | {s.ThroughputPerSec} | {Row(s.LatencyMs.Track)} | {Row(s.LatencyMs.Push)} |");
        }
        var echo = report.Scenarios.FirstOrDefault(s => s.Name == "echo");
        var hot = report.Scenarios.FirstOrDefault(s => s.Name == "hot-path");
        if (echo is { ThroughputPerSec: > 0 } && hot is not null)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"hot-path / echo throughput: **{hot.ThroughputPerSec / echo.ThroughputPerSec:P0}**");
        }
        var withGc = report.Scenarios.Where(s => s.GeneratorGc is not null).ToList();
        if (withGc.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## The load generator's own collections (measured phase)");
            md.AppendLine();
            md.AppendLine("Answers and pushes that arrive while the generator is paused are timestamped after the pause.");
            md.AppendLine();
            foreach (var s in withGc)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {s.Name}: {s.GeneratorGc!.Describe()}");
            }
        }
        md.AppendLine();
        md.AppendLine("## Thresholds");
        md.AppendLine();
        md.AppendLine("| scenario | threshold | actual | result |");
        md.AppendLine("| --- | --- | ---: | --- |");
        foreach (var s in report.Scenarios)
        {
            foreach (var t in s.Thresholds)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {t.Name} | {t.Actual} | {(t.Passed ? "pass" : "**FAIL**")} |");
            }
        }
        foreach (var s in report.Scenarios.Where(s => s.ErrorSamples.Count > 0))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Errors in {s.Name}");
            md.AppendLine();
            foreach (var e in s.ErrorSamples)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- `{e.Replace('`', '\'')}`");
            }
        }
        return md.ToString();
    }

    private static string Row(LatencySummary l) => l.Count == 0 ? "–" : $"{l.P50} / {l.P75} / {l.P95} / {l.P99} / {l.Max}";
}
