using System.Globalization;

namespace Personalize.Benchmarks.Memory;

/// <summary>
/// <c>memory [--grains 100000] [--full 200] [--connections 5000] [--out DIR] [--settle 8] [--histogram]</c>: memory per idle shopper
/// grain and per idle SignalR connection (issue 6). One-shot measurements of a hundred thousand
/// activations do not fit BenchmarkDotNet's many-iterations model, so this is a verb of its own.
/// Writes DIR/memory.json and prints a table. A count of 0 skips that part; <c>--settle</c> is how many
/// seconds everything is left idle before a reading (keep it past the grains' 5 s click flush delay for
/// real figures; the CI smoke test shortens it). <c>--histogram</c> also writes
/// DIR/heap-*.txt: the types that grew per item (taken by a second process attaching with ClrMD).
/// </summary>
public static class MemoryProbe
{
    public const string Verb = "memory";

    public static readonly IReadOnlyList<string> Method =
    [
        "The real gateway (GatewayApp.Build: embedded silo, SQLite grain storage in a temporary folder) runs inside the probe process on loopback ports.",
        "Figures are live managed heap bytes: GC.GetTotalMemory after two full blocking compacting collections (large object heap compacted, finalizers run), median of three readings; heapSizeBytes (GC.GetGCMemoryInfo) and process working set are reported beside them.",
        "Each figure is (after − baseline) / count, the baseline taken after a warm-up with the same work, so JIT, pools and caches are not charged per item.",
        "Grains: sessions go through IShopperGrain.TrackAsync with events parsed from JSON as the hub parses them; after the last event the probe waits past the click flush delay so lazy writes are done, then measures with every grain still active (grain collection age set to 2 h for the probe; activation counts before/after are recorded).",
        "Typical shoppers are judged against a catalog of triggers with count conditions (ProbeCatalog: browse, category, basket, search; none fires in the session), so the click tally a count keeps between events is measured too; a flush after a lull gives it back.",
        "Full grains: every bounded collection at its cap (see fullGrains.session); a sizing figure for the worst case, not a target.",
        "Connections: opened from a second process (Personalize.Client), so client-side memory is not in the gateway's figure; their shopper grains are activated before the baseline. That process reports its own figure (connections.clientBytesPerItem): GC.GetTotalMemory after a full collection, before the first client and once all are open, per client.",
        "Echo connections: the same clients and count against the bare SignalR echo server hosted in the same process, measured right after the gateway's; the floor any SignalR connection costs on this runtime.",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var grains = IntOption(args, "--grains", 100_000);
        var full = IntOption(args, "--full", 200);
        var connections = IntOption(args, "--connections", 5_000);
        var output = Option(args, "--out") ?? Path.Combine("artifacts", "memory");
        var settle = Option(args, "--settle") is { } seconds
            ? TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture))
            : GrainMemoryProbe.DefaultSettle;
        var histograms = new HistogramRecorder(args.Contains("--histogram") ? output : null);

        await using var gateway = await ProbeGateway.StartAsync(maxPerShopperPerHour: ShopperSessions.FullPageViews);
        MemorySection? typical = null, worst = null, idle = null, echo = null;
        if (grains > 0)
        {
            Console.WriteLine($"grains: {grains:N0} shoppers, typical session ...");
            typical = await GrainMemoryProbe.TypicalAsync(gateway, grains, settle, histograms);
            await WriteAsync(output, typical, worst, idle, echo);
        }
        if (connections > 0)
        {
            Console.WriteLine($"connections: {connections:N0} idle SignalR connections from a second process ...");
            idle = await ConnectionMemoryProbe.MeasureAsync(gateway, connections, settle, histograms);
            await WriteAsync(output, typical, worst, idle, echo);
            Console.WriteLine($"connections: the same against the bare SignalR echo server (the floor) ...");
            echo = await ConnectionMemoryProbe.MeasureEchoAsync(connections, settle, histograms);
            await WriteAsync(output, typical, worst, idle, echo);
        }
        // Last: the probe trigger it adds would otherwise be in the catalog for the other parts.
        if (full > 0)
        {
            Console.WriteLine($"full grains: {full:N0} shoppers with every ring at its cap ...");
            worst = await GrainMemoryProbe.FullAsync(gateway, full, settle, histograms);
        }

        var report = await WriteAsync(output, typical, worst, idle, echo);
        PrintTable(report);
        Console.WriteLine($"written: {Path.Combine(output, "memory.json")}");
        return 0;
    }

    /// <summary>Written after each part too, so a run that fails late still leaves what it measured.</summary>
    private static async Task<MemoryReport> WriteAsync(string output, MemorySection? typical, MemorySection? worst, MemorySection? idle,
        MemorySection? echo)
    {
        var report = new MemoryReport
        {
            MeasuredAt = DateTimeOffset.UtcNow,
            BytesPerGrain = typical?.BytesPerItem,
            BytesPerFullGrain = worst?.BytesPerItem,
            BytesPerConnection = idle?.BytesPerItem,
            BytesPerEchoConnection = echo?.BytesPerItem,
            BytesPerClient = idle?.ClientBytesPerItem,
            Grains = typical,
            FullGrains = worst,
            Connections = idle,
            EchoConnections = echo,
            Machine = MachineInfo.Current(),
            Method = Method,
        };
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Combine(output, "memory.json"), report.ToJson());
        return report;
    }

    private static void PrintTable(MemoryReport report)
    {
        Console.WriteLine();
        Console.WriteLine("| what | count | managed bytes each | working set bytes each | target |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Row("idle shopper grain (typical session)", report.Grains, report.GrainTargetBytes);
        Row("idle shopper grain (every ring full)", report.FullGrains, null);
        Row("idle SignalR connection (gateway)", report.Connections, report.ConnectionTargetBytes);
        Row("idle SignalR connection (bare echo server, the floor)", report.EchoConnections, null);
        if (report.Connections is { ClientBytesPerItem: { } client })
        {
            Row("connected storefront client (Personalize.Client, in its own process)", report.Connections.Count, client, null, null);
        }
        Console.WriteLine();
    }

    private static void Row(string what, MemorySection? section, int? target)
    {
        if (section is not null) Row(what, section.Count, section.BytesPerItem, section.WorkingSetBytesPerItem, target);
    }

    private static void Row(string what, int count, double bytes, double? workingSet, int? target)
    {
        var verdict = target is { } t ? $"≤ {t:N0} {(bytes <= t ? "✓" : "✗")}" : "—";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {count:N0} | {bytes:N0} | {(workingSet is { } ws ? ws.ToString("N0", CultureInfo.InvariantCulture) : "–")} | {verdict} |"));
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int IntOption(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
}
