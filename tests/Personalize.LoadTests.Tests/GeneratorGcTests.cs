using Personalize.LoadTests.Engine;
using Personalize.LoadTests.Reporting;

namespace Personalize.LoadTests.Tests;

public sealed class GeneratorGcTests
{
    [Fact]
    public void Collections_between_two_marks_are_counted_once_each_in_their_own_generation()
    {
        var start = GeneratorGc.Mark.Now();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);

        var gc = GeneratorGc.Mark.Now().Since(start);

        // Other threads of the test host may collect too, and the runtime may collect an older generation
        // than asked: at least our four, each counted once, and the two older ones not as gen0.
        Assert.True(gc.Collections >= 4, $"collections {gc.Collections}");
        Assert.True(gc.Gen1 + gc.Gen2 >= 2, $"gen1 {gc.Gen1}, gen2 {gc.Gen2}");
        Assert.True(gc.Gen2 >= 1, $"gen2 {gc.Gen2}");
        Assert.Equal(gc.Collections, gc.Gen0 + gc.Gen1 + gc.Gen2);
        Assert.True(gc.PausedMs > 0, $"paused {gc.PausedMs} ms");
        Assert.InRange(gc.PausedPercent, 0.0, 100.0);
        // PausedMs is rounded to 0.1 ms and the mean to 0.01 ms: over four or more collections they agree within 0.02.
        Assert.Equal(gc.PausedMs / gc.Collections, gc.MeanPauseMs, 0.02);
    }

    [Fact]
    public void The_pauses_are_a_share_of_the_wall_time_between_the_marks()
    {
        var start = new GeneratorGc.Mark(Timestamp: 0, Paused: TimeSpan.FromMilliseconds(100), Any: 10, Gen1OrOlder: 3, Gen2: 1);
        var end = new GeneratorGc.Mark(
            Timestamp: 2 * System.Diagnostics.Stopwatch.Frequency, Paused: TimeSpan.FromMilliseconds(190), Any: 20, Gen1OrOlder: 5, Gen2: 1);

        var gc = end.Since(start);

        Assert.Equal(new GeneratorGc(PausedPercent: 4.5, PausedMs: 90, Collections: 10, MeanPauseMs: 9, Gen0: 8, Gen1: 2, Gen2: 0), gc);
        Assert.Equal("paused 4.5 % of the time by 10 collections (8 gen0, 2 gen1, 0 gen2), 9.0 ms each on average", gc.Describe());
        Assert.Equal("paused by no collection", start.Since(start).Describe());
    }

    [Fact]
    public void Reports_show_the_generators_pauses_beside_the_latencies_and_read_reports_written_without_them()
    {
        var measured = new ScenarioResult
        {
            Name = "echo-half", Scenario = "echo", Target = "echo", Shoppers = 1000, Simulations = ["inject 3600/s for 30 s"],
            DurationSeconds = 30, Sent = 10, Acknowledged = 10, PushesExpected = 2, PushesReceived = 2, UnexpectedPushes = 0,
            Lost = 0, Errors = 0, ErrorSamples = [], ThroughputPerSec = 3600,
            LatencyMs = new LatencySet(new LatencySummary(10, 1, 1, 2, 9, 12), new LatencySummary(2, 1, 1, 2, 9, 12), LatencySummary.Empty),
            GeneratorGc = new GeneratorGc(4.5, 90, 10, 9, 8, 2, 0),
            ThroughputTimeline = [3600], Curves = new Dictionary<string, IReadOnlyList<double[]>>(),
        };
        var report = new RunReport
        {
            RunId = "t", Profile = "full", StartedAt = DateTimeOffset.UnixEpoch, FinishedAt = DateTimeOffset.UnixEpoch,
            Machine = new MachineInfo(2, "Linux", ".NET 10", "box"), Scenarios = [measured, measured with { Name = "hot-path-half", Scenario = "hot-path", GeneratorGc = null }],
        };

        var markdown = MarkdownReport.Render(report);
        var readme = PerformanceSection.Render(new PerformanceSection.Inputs(report, null, []));
        var html = HtmlReport.Render(report);

        Assert.Contains("- echo-half: paused 4.5 % of the time by 10 collections", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("- hot-path-half:", markdown, StringComparison.Ordinal);
        Assert.Contains("p99 9.00 ms; the load generator was paused 4.5 % of the time by 10 collections (8 gen0, 2 gen1, 0 gen2), 9.0 ms each on average.", readme, StringComparison.Ordinal);
        Assert.Contains("(2 pushes, 0 lost).", readme, StringComparison.Ordinal);
        Assert.Contains("<td>paused 4.5 % of the time by 10 collections", html, StringComparison.Ordinal);

        var json = System.Text.Json.JsonSerializer.Serialize(report, RunReport.Json);
        Assert.Contains("\"generatorGc\": {", json, StringComparison.Ordinal);
        var withoutField = System.Text.Json.JsonSerializer.Deserialize<RunReport>(json.Replace("\"generatorGc\"", "\"somethingElse\"", StringComparison.Ordinal), RunReport.Json)!;
        Assert.All(withoutField.Scenarios, s => Assert.Null(s.GeneratorGc));
        Assert.Equal(measured.GeneratorGc, System.Text.Json.JsonSerializer.Deserialize<RunReport>(json, RunReport.Json)!.Scenarios[0].GeneratorGc);
    }
}
