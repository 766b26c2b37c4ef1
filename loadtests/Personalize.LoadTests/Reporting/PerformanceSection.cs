using System.Globalization;
using System.Text;
using System.Text.Json;
using Personalize.LoadTests.Engine;

namespace Personalize.LoadTests.Reporting;

/// <summary>
/// README's "Performance" section, rendered from the measurement files kept in <c>docs/perf/</c>:
/// <c>report.json</c> (a load-test run), <c>memory.json</c> (the memory probe) and the BenchmarkDotNet
/// JSON exports in <c>bdn/</c>. The section sits between two markers in README.md and is replaced
/// whole, so the figures in README are always the ones in the files, never typed by hand.
/// </summary>
public static class PerformanceSection
{
    public const string Begin = "<!-- performance:begin (generated from docs/perf by `dotnet run -c Release --project loadtests/Personalize.LoadTests -- readme`; do not edit by hand) -->";
    public const string End = "<!-- performance:end -->";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The measurement files of one directory, as README shows them.</summary>
    public sealed record Inputs(RunReport Load, MemoryFigures? Memory, IReadOnlyList<BenchmarkFigure> Benchmarks)
    {
        /// <summary>Reads <c>report.json</c> (required), <c>memory.json</c> and <c>bdn/*.json</c> (optional) from <paramref name="dir"/>.</summary>
        public static Inputs Read(string dir)
        {
            var reportPath = Path.Combine(dir, "report.json");
            if (!File.Exists(reportPath)) throw new FileNotFoundException($"no load-test report at {reportPath}", reportPath);
            var load = JsonSerializer.Deserialize<RunReport>(File.ReadAllText(reportPath), RunReport.Json)
                ?? throw new InvalidDataException($"{reportPath} is empty");
            var memoryPath = Path.Combine(dir, "memory.json");
            var memory = File.Exists(memoryPath) ? MemoryFigures.Parse(File.ReadAllText(memoryPath)) : null;
            var bdn = Path.Combine(dir, "bdn");
            var benchmarks = Directory.Exists(bdn)
                ? Directory.GetFiles(bdn, "*.json").Order(StringComparer.Ordinal).SelectMany(f => BenchmarkFigure.Parse(File.ReadAllText(f))).ToList()
                : [];
            return new Inputs(load, memory, benchmarks);
        }
    }

    /// <summary>One BenchmarkDotNet result: mean time and bytes allocated per operation.</summary>
    public sealed record BenchmarkFigure(string Type, string Method, string Parameters, double MeanNs, double? AllocatedBytes)
    {
        /// <summary>Reads BenchmarkDotNet's full JSON export (<c>*-report-full.json</c>).</summary>
        public static IEnumerable<BenchmarkFigure> Parse(string json)
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("Benchmarks", out var list)) yield break;
            foreach (var b in list.EnumerateArray())
            {
                if (!b.TryGetProperty("Statistics", out var stats) || stats.ValueKind != JsonValueKind.Object) continue;
                double? allocated = b.TryGetProperty("Memory", out var mem) && mem.TryGetProperty("BytesAllocatedPerOperation", out var a)
                    ? a.GetDouble() : null;
                yield return new BenchmarkFigure(
                    Text(b, "Type"), Text(b, "Method"), Text(b, "Parameters"), stats.GetProperty("Mean").GetDouble(), allocated);
            }
        }

        private static string Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
    }

    /// <summary>memory.json (written by the memory probe in loadtests/Personalize.Benchmarks): one line per measured thing.</summary>
    public sealed record MemoryFigures(IReadOnlyList<MemoryLine> Lines)
    {
        private static readonly (string Section, string Name, string? Target)[] Sections =
        [
            ("grains", "idle shopper grain, typical session", "grainTargetBytes"),
            ("fullGrains", "idle shopper grain, every ring at its cap (sizing)", null),
            ("connections", ConnectionName, "connectionTargetBytes"),
            ("echoConnections", EchoConnectionName, null),
        ];

        public const string ConnectionName = "idle SignalR connection, in the gateway";

        /// <summary>The same clients against the bare SignalR echo server in the same run: what any connection costs.</summary>
        public const string EchoConnectionName = "idle SignalR connection, bare echo server (the floor)";

        /// <summary>The other end of the gateway's connections: what the .NET storefront client holds per connection.</summary>
        public const string ClientName = "connected storefront client (Personalize.Client), in the client's process";

        public static MemoryFigures Parse(string json)
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var lines = new List<MemoryLine>();
            foreach (var (section, name, target) in Sections)
            {
                if (!root.TryGetProperty(section, out var m) || m.ValueKind != JsonValueKind.Object) continue;
                lines.Add(new MemoryLine(
                    name,
                    m.GetProperty("count").GetInt64(),
                    m.GetProperty("bytesPerItem").GetDouble(),
                    m.TryGetProperty("workingSetBytesPerItem", out var ws) && ws.ValueKind == JsonValueKind.Number ? ws.GetDouble() : null,
                    target is not null && root.TryGetProperty(target, out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null,
                    section == "grains" ? EventCounts(m) : ""));
            }
            if (root.TryGetProperty("connections", out var c) && c.ValueKind == JsonValueKind.Object &&
                c.TryGetProperty("clientBytesPerItem", out var client) && client.ValueKind == JsonValueKind.Number)
            {
                lines.Add(new MemoryLine(ClientName, c.GetProperty("count").GetInt64(), client.GetDouble(), null, null, ""));
            }
            return new MemoryFigures(lines);
        }

        /// <summary>"1 page_view, 3 product_view, ..." from the session's one line per event.</summary>
        private static string EventCounts(JsonElement section)
        {
            if (!section.TryGetProperty("session", out var session) || session.ValueKind != JsonValueKind.Array) return "";
            var types = session.EnumerateArray()
                .Select(e => (e.GetString() ?? "").Split(' ', 2)[0])
                .Where(t => t.Length > 0)
                .GroupBy(t => t, StringComparer.Ordinal)
                .Select(g => $"{g.Count()} {g.Key}");
            return string.Join(", ", types);
        }
    }

    public sealed record MemoryLine(string Name, long Count, double BytesPerItem, double? WorkingSetBytesPerItem, double? TargetBytes, string Description);

    /// <summary>The Markdown between the markers (markers excluded).</summary>
    public static string Render(Inputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var md = new StringBuilder();
        var load = inputs.Load;
        md.AppendLine(Inv, $"Measured on {load.Machine.ProcessorCount} cores ({load.Machine.Os}, {load.Machine.Framework}), load generator on the same machine; load-test run `{load.RunId}` (profile `{load.Profile}`, {load.StartedAt:yyyy-MM-dd}).");
        md.AppendLine();
        Headline(md, load);
        LoadTable(md, load);
        if (inputs.Memory is { Lines.Count: > 0 } memory) MemoryTable(md, memory);
        if (inputs.Benchmarks.Count > 0) BenchmarkTable(md, inputs.Benchmarks);
        return md.ToString();
    }

    /// <summary>Replaces what lies between the markers in <paramref name="readme"/> with <paramref name="section"/>.</summary>
    public static string Splice(string readme, string section)
    {
        ArgumentNullException.ThrowIfNull(readme);
        var begin = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < 0 || end < begin)
            throw new InvalidDataException($"README has no performance markers: put the lines\n{Begin}\n{End}\nwhere the section goes");
        if (readme.IndexOf(Begin, begin + Begin.Length, StringComparison.Ordinal) >= 0)
            throw new InvalidDataException("README has the performance begin marker twice");
        var newline = readme.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var body = section.ReplaceLineEndings(newline);
        return string.Concat(readme.AsSpan(0, begin + Begin.Length), newline, body, readme.AsSpan(end));
    }

    private static void Headline(StringBuilder md, RunReport load)
    {
        var echo = Find(load, "echo");
        var hot = Find(load, "hot-path");
        var half = Find(load, "hot-path-half");
        if (echo is { ThroughputPerSec: > 0 } && hot is not null)
        {
            md.AppendLine(Inv, $"- **hot-path sustains {Ratio(hot, echo)} of the echo ceiling**: {Number(hot.ThroughputPerSec)} vs {Number(echo.ThroughputPerSec)} events/s, {hot.Shoppers:N0} shoppers, {hot.Lost} lost, {hot.Errors} errors.");
        }
        if (half is { LatencyMs.Push.Count: > 0 })
        {
            md.AppendLine(Inv, $"- **event→push at {Number(half.ThroughputPerSec)} events/s** ({half.Shoppers:N0} connected shoppers): p50 {Ms(half.LatencyMs.Push.P50)} ms, p99 {Ms(half.LatencyMs.Push.P99)} ms ({half.PushesReceived:N0} pushes, {half.Lost} lost){GeneratorPauses(half)}.");
        }
        if (Find(load, "echo-half") is { LatencyMs.Push.Count: > 0 } floor)
        {
            md.AppendLine(Inv, $"- **the floor under it**: the same clients against the echo server at {Number(floor.ThroughputPerSec)} events/s (this machine and the load generator alone): event→push p50 {Ms(floor.LatencyMs.Push.P50)} ms, p99 {Ms(floor.LatencyMs.Push.P99)} ms{GeneratorPauses(floor)}.");
        }
        var failed = load.Scenarios.SelectMany(s => s.Thresholds.Where(t => !t.Passed).Select(t => $"{s.Name}: {t.Name} (actual {Number(t.Actual)})")).ToList();
        md.AppendLine(failed.Count == 0
            ? "- Every threshold of the run passed."
            : $"- Thresholds missed: {string.Join("; ", failed)}.");
        md.AppendLine();
    }

    private static void LoadTable(StringBuilder md, RunReport load)
    {
        var echo = Find(load, "echo");
        md.AppendLine("| scenario | shoppers | load | sent / ack | pushes expected / received / lost | errors | throughput/s | vs echo | Track p50 / p99 ms | event→push p50 / p95 / p99 ms |");
        md.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var s in load.Scenarios)
        {
            // Only the hot-path runs do echo's workload; a ratio for connect-storm or referral-loop would mean nothing.
            var vsEcho = echo is { ThroughputPerSec: > 0 } && s.Scenario == "hot-path" ? Ratio(s, echo) : "–";
            md.AppendLine(Inv,
                $"| {s.Name} | {s.Shoppers:N0} | {string.Join("; ", s.Simulations)} | {s.Sent:N0} / {s.Acknowledged:N0} | {s.PushesExpected:N0} / {s.PushesReceived:N0} / {s.Lost} | {s.Errors} | {Number(s.ThroughputPerSec)} | {vsEcho} | {Pair(s.LatencyMs.Track)} | {Triple(s.LatencyMs.Push)} |");
        }
        md.AppendLine();
    }

    private static void MemoryTable(StringBuilder md, MemoryFigures memory)
    {
        // The working set moves in whole segments and pages: over a few hundred items it can even shrink, which says nothing per item.
        md.AppendLine("| memory | measured over | managed heap per item | working set per item | target |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var m in memory.Lines)
        {
            var what = m.Description.Length > 0 ? $"{m.Name}: {m.Description}" : m.Name;
            md.AppendLine(Inv,
                $"| {what} | {m.Count:N0} | {Bytes(m.BytesPerItem)} | {(m.WorkingSetBytesPerItem is >= 0 and var ws ? Bytes(ws) : "–")} | {(m.TargetBytes is { } t ? "≤ " + Bytes(t) : "–")} |");
        }
        md.AppendLine();
        var gateway = memory.Lines.FirstOrDefault(l => l.Name == MemoryFigures.ConnectionName);
        var floor = memory.Lines.FirstOrDefault(l => l.Name == MemoryFigures.EchoConnectionName);
        if (gateway is not null && floor is { BytesPerItem: > 0 })
        {
            md.AppendLine(Inv,
                $"An idle connection to the gateway holds {gateway.BytesPerItem / floor.BytesPerItem:0.00}× what one to the bare echo server holds in the same run ({Bytes(gateway.BytesPerItem - floor.BytesPerItem)} more).");
            md.AppendLine();
        }
    }

    private static void BenchmarkTable(StringBuilder md, IReadOnlyList<BenchmarkFigure> benchmarks)
    {
        md.AppendLine("| micro-benchmark (BenchmarkDotNet) | mean | allocated per op |");
        md.AppendLine("| --- | ---: | ---: |");
        foreach (var b in benchmarks)
        {
            var name = b.Parameters.Length > 0 ? $"{b.Type}.{b.Method} ({b.Parameters})" : $"{b.Type}.{b.Method}";
            md.AppendLine(Inv, $"| {name} | {Nanoseconds(b.MeanNs)} | {(b.AllocatedBytes is { } a ? Bytes(a) : "–")} |");
        }
        md.AppendLine();
    }

    /// <summary>"; the load generator was paused ..." when the report has it (reports before it was kept do not).</summary>
    private static string GeneratorPauses(ScenarioResult s) => s.GeneratorGc is { } gc ? $"; the load generator was {gc.Describe()}" : "";

    private static ScenarioResult? Find(RunReport load, string name) => load.Scenarios.FirstOrDefault(s => s.Name == name);

    private static string Ratio(ScenarioResult s, ScenarioResult echo) =>
        (s.ThroughputPerSec / echo.ThroughputPerSec).ToString("P0", Inv).Replace(" ", "", StringComparison.Ordinal);

    private static string Pair(LatencySummary l) => l.Count == 0 ? "–" : $"{Ms(l.P50)} / {Ms(l.P99)}";

    private static string Triple(LatencySummary l) => l.Count == 0 ? "–" : $"{Ms(l.P50)} / {Ms(l.P95)} / {Ms(l.P99)}";

    private static string Ms(double ms) => ms < 10 ? ms.ToString("0.00", Inv) : ms < 100 ? ms.ToString("0.0", Inv) : ms.ToString("N0", Inv);

    private static string Number(double value) => value >= 100 ? value.ToString("N0", Inv) : value.ToString("0.#", Inv);

    private static string Nanoseconds(double ns) => ns >= 1_000_000
        ? (ns / 1_000_000).ToString("0.00", Inv) + " ms"
        : ns >= 1_000 ? (ns / 1_000).ToString("0.00", Inv) + " µs" : ns.ToString("0.0", Inv) + " ns";

    private static string Bytes(double bytes) => bytes >= 1024
        ? (bytes / 1024).ToString("0.0", Inv) + " KB"
        : bytes.ToString("0", Inv) + " B";
}
