using Personalize.LoadTests.Engine;
using Personalize.LoadTests.Reporting;
using Personalize.LoadTests.Targets;

namespace Personalize.LoadTests.Tests;

public sealed class PerformanceSectionTests
{
    [Fact]
    public void Readme_performance_section_is_the_one_generated_from_docs_perf()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var inputs = PerformanceSection.Inputs.Read(Path.Combine(RepoPaths.Root, "docs", "perf"));

        var regenerated = PerformanceSection.Splice(readme, PerformanceSection.Render(inputs));

        // A figure typed into README by hand, or a docs/perf file replaced without regenerating, fails here.
        Assert.Equal(regenerated, readme);
        Assert.Contains("hot-path sustains", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Ratio_against_echo_and_missed_thresholds_come_from_the_report()
    {
        var report = Report(
            Scenario("echo", throughput: 10_000, pushP50: 0.5, pushP99: 4),
            Scenario("hot-path", throughput: 6_300, pushP50: 1.5, pushP99: 9, failed: new ThresholdResult("throughput >= 50 % of echo", ">= 5000", 6300, true)),
            Scenario("hot-path-half", throughput: 3_125, pushP50: 1.25, pushP99: 12.5, failed: new ThresholdResult("event→push p99 <= 10 ms", "<= 10", 12.5, false)));

        var md = PerformanceSection.Render(new PerformanceSection.Inputs(report, null, []));

        Assert.Contains("hot-path sustains 63% of the echo ceiling", md, StringComparison.Ordinal);
        Assert.Contains("6,300 vs 10,000 events/s", md, StringComparison.Ordinal);
        Assert.Contains("event→push at 3,125 events/s", md, StringComparison.Ordinal);
        Assert.Contains("p50 1.25 ms, p99 12.5 ms", md, StringComparison.Ordinal);
        Assert.Contains("Thresholds missed: hot-path-half: event→push p99 <= 10 ms (actual 12.5)", md, StringComparison.Ordinal);
        Assert.DoesNotContain("Every threshold", md, StringComparison.Ordinal);
        var echoRow = md.Split('\n').Single(l => l.StartsWith("| echo |", StringComparison.Ordinal));
        Assert.Contains("| – |", echoRow, StringComparison.Ordinal);
    }

    [Fact]
    public void The_echo_run_at_the_half_load_rate_is_reported_as_the_floor_under_its_latencies()
    {
        var report = Report(
            Scenario("echo", throughput: 10_000, pushP50: 0.5, pushP99: 4),
            Scenario("hot-path", throughput: 6_000, pushP50: 1.5, pushP99: 9),
            Scenario("hot-path-half", throughput: 3_000, pushP50: 2.5, pushP99: 60),
            Scenario("echo-half", throughput: 2_990, pushP50: 0.9, pushP99: 11));

        var md = PerformanceSection.Render(new PerformanceSection.Inputs(report, null, []));

        Assert.Contains("echo server at 2,990 events/s (this machine and the load generator alone): event→push p50 0.90 ms, p99 11.0 ms", md, StringComparison.Ordinal);
        // Only hot-path runs are put against the echo ceiling; the floor run is echo itself.
        var floorRow = md.Split('\n').Single(l => l.StartsWith("| echo-half |", StringComparison.Ordinal));
        Assert.Contains("| – |", floorRow, StringComparison.Ordinal);
        var withoutFloor = PerformanceSection.Render(new PerformanceSection.Inputs(Report(Scenario("echo", 1, 1, 1)), null, []));
        Assert.DoesNotContain("the floor under it", withoutFloor, StringComparison.Ordinal);
    }

    [Fact]
    public void Splice_replaces_only_what_lies_between_the_markers()
    {
        var readme = $"# Title\n\nbefore\n{PerformanceSection.Begin}\nold figure 123\n{PerformanceSection.End}\nafter\n";

        var spliced = PerformanceSection.Splice(readme, "new figure 456\n");

        Assert.Equal($"# Title\n\nbefore\n{PerformanceSection.Begin}\nnew figure 456\n{PerformanceSection.End}\nafter\n", spliced);
        Assert.Equal(spliced, PerformanceSection.Splice(spliced, "new figure 456\n"));
    }

    [Theory]
    [InlineData("# no markers at all\n")]
    [InlineData("<!-- performance:end -->\n<!-- performance:begin")]
    public void Splice_refuses_a_readme_without_its_markers(string readme)
    {
        var ex = Assert.Throws<InvalidDataException>(() => PerformanceSection.Splice(readme, "x"));
        Assert.Contains("markers", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchmarkDotNet_full_json_gives_mean_and_allocations()
    {
        const string json = """
            {"Title":"t","Benchmarks":[
              {"Type":"TriggerEvaluationBenchmarks","Method":"NoMatch","Parameters":"Triggers=100",
               "Statistics":{"Mean":1234.5,"Median":1200},"Memory":{"Gen0Collections":0,"BytesAllocatedPerOperation":0}},
              {"Type":"PushSerializationBenchmarks","Method":"Serialize","Parameters":"",
               "Statistics":{"Mean":2500000.0},"Memory":{"BytesAllocatedPerOperation":2048}},
              {"Type":"Failed","Method":"Crashed","Statistics":null}
            ]}
            """;

        var figures = PerformanceSection.BenchmarkFigure.Parse(json).ToList();

        Assert.Equal(2, figures.Count);
        Assert.Equal(new PerformanceSection.BenchmarkFigure("TriggerEvaluationBenchmarks", "NoMatch", "Triggers=100", 1234.5, 0), figures[0]);
        var md = PerformanceSection.Render(new PerformanceSection.Inputs(Report(Scenario("echo", 1, 1, 1)), null, figures));
        Assert.Contains("| TriggerEvaluationBenchmarks.NoMatch (Triggers=100) | 1.23 µs | 0 B |", md, StringComparison.Ordinal);
        Assert.Contains("| PushSerializationBenchmarks.Serialize | 2.50 ms | 2.0 KB |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_probe_json_gives_one_line_per_measured_thing_with_its_target()
    {
        const string json = """
            {"schema":1,"grainTargetBytes":4096,"connectionTargetBytes":16384,
             "grains":{"count":100000,"bytesPerItem":3010.5,"workingSetBytesPerItem":5120,
                       "session":["page_view (channel web)","product_view (a)","product_view (b)","add_to_cart (c)"]},
             "fullGrains":{"count":200,"bytesPerItem":40964,"workingSetBytesPerItem":-559677,"session":[]},
             "connections":{"count":5000,"bytesPerItem":20480,"workingSetBytesPerItem":30000,"clientBytesPerItem":51200,"session":["opened by a second process"]},
             "echoConnections":{"count":5000,"bytesPerItem":16384,"workingSetBytesPerItem":8000,"session":["the echo server"]}}
            """;

        var memory = PerformanceSection.MemoryFigures.Parse(json);

        Assert.Equal(5, memory.Lines.Count);
        Assert.Equal(new PerformanceSection.MemoryLine("idle shopper grain, typical session", 100_000, 3010.5, 5120, 4096, "1 page_view, 2 product_view, 1 add_to_cart"), memory.Lines[0]);
        var md = PerformanceSection.Render(new PerformanceSection.Inputs(Report(Scenario("echo", 1, 1, 1)), memory, []));
        Assert.Contains("| idle shopper grain, typical session: 1 page_view, 2 product_view, 1 add_to_cart | 100,000 | 2.9 KB | 5.0 KB | ≤ 4.0 KB |", md, StringComparison.Ordinal);
        Assert.Contains("| idle SignalR connection, in the gateway | 5,000 | 20.0 KB | 29.3 KB | ≤ 16.0 KB |", md, StringComparison.Ordinal);
        Assert.Contains("| idle SignalR connection, bare echo server (the floor) | 5,000 | 16.0 KB | 7.8 KB | – |", md, StringComparison.Ordinal);
        // The clients' own side, reported by their process; no working set or target of its own.
        Assert.Contains("| connected storefront client (Personalize.Client), in the client's process | 5,000 | 50.0 KB | – | – |", md, StringComparison.Ordinal);
        Assert.Contains("holds 1.25× what one to the bare echo server holds in the same run (4.0 KB more)", md, StringComparison.Ordinal);
        // A working set that shrank over the run is shown as unknown, not as a negative size.
        Assert.Contains("| idle shopper grain, every ring at its cap (sizing) | 200 | 40.0 KB | – | – |", md, StringComparison.Ordinal);
    }

    private static RunReport Report(params ScenarioResult[] scenarios) => new()
    {
        RunId = "test",
        Profile = "full",
        StartedAt = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero),
        FinishedAt = new DateTimeOffset(2026, 11, 23, 8, 5, 0, TimeSpan.Zero),
        Machine = new MachineInfo(2, "Linux", ".NET 10", "box"),
        Scenarios = scenarios,
    };

    private static ScenarioResult Scenario(string name, double throughput, double pushP50, double pushP99, ThresholdResult? failed = null) => new()
    {
        Name = name,
        Scenario = name switch { "hot-path-half" => "hot-path", "echo-half" => "echo", _ => name },
        Target = name.StartsWith("echo", StringComparison.Ordinal) ? "echo" : "http://127.0.0.1:5080",
        Shoppers = 1000,
        Simulations = ["keep constant 256 copies for 30 s"],
        DurationSeconds = 30,
        Sent = 100,
        Acknowledged = 100,
        PushesExpected = 20,
        PushesReceived = 20,
        UnexpectedPushes = 0,
        Lost = 0,
        Errors = 0,
        ErrorSamples = [],
        ThroughputPerSec = throughput,
        LatencyMs = new LatencySet(
            new LatencySummary(100, 0.4, 0.5, 0.9, 2, 3),
            new LatencySummary(20, pushP50, pushP50 * 2, pushP99 * 0.8, pushP99, pushP99 * 2),
            LatencySummary.Empty),
        Thresholds = failed is null ? [] : [failed],
        ThroughputTimeline = [throughput],
        Curves = new Dictionary<string, IReadOnlyList<double[]>>(),
    };
}
