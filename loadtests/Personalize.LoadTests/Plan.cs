using Personalize.LoadTests.Engine;
using Personalize.LoadTests.Scenarios;

namespace Personalize.LoadTests;

/// <summary>
/// One scenario run of the plan. <see cref="Adjust"/> may reshape it from results already in (the full
/// profile's latency run injects half the hot-path throughput measured minutes earlier on this machine).
/// </summary>
public sealed record PlannedRun(
    ScenarioSettings Settings,
    IReadOnlyList<Threshold> Thresholds,
    Func<IReadOnlyList<ScenarioResult>, ScenarioSettings, ScenarioSettings>? Adjust = null,
    Func<IReadOnlyList<ScenarioResult>, IReadOnlyList<Threshold>>? ThresholdsFromEarlierRuns = null);

/// <summary>Turns the command line into the list of runs: a profile, or the scenarios it names.</summary>
public static class Plan
{
    /// <summary>What CI can hold to on a noisy machine: everything sent is answered, every push arrives.</summary>
    private static readonly Threshold[] Correctness = [Threshold.SomethingAcknowledged, Threshold.NoErrors, Threshold.NoLostPushes];

    public static IReadOnlyList<PlannedRun> From(LoadTestOptions options) => options.Profile switch
    {
        "ci" => Ci(options),
        "full" => Full(options),
        _ => options.Scenarios.Select(s => new PlannedRun(Defaults(options, s, s), Correctness)).ToArray(),
    };

    /// <summary>≤ 60 s of load in all: the echo ceiling, then the hot path, at a low rate.</summary>
    private static PlannedRun[] Ci(LoadTestOptions options)
    {
        var scenarios = options.Scenarios.Count > 0 ? options.Scenarios : ["echo", "hot-path"];
        return scenarios.Select(s => new PlannedRun(Defaults(options with
        {
            Shoppers = options.Shoppers ?? 50,
            Rate = options.Rate ?? 200,
            DurationSeconds = options.DurationSeconds ?? 12,
            Load = options.Load ?? "ramp",
        }, s, s) with { DrainTimeout = TimeSpan.FromSeconds(5) }, Correctness)).ToArray();
    }

    /// <summary>The unmeasured warm-up of the saturated runs of the full profile (the others take 10 s).</summary>
    private const double SaturatedWarmUpSeconds = 40;

    /// <summary>
    /// For people and releases: the ceiling and the hot path each saturated by a closed loop (their
    /// throughputs are the 50 % ratio), then the hot path at half of its own measured throughput
    /// with 1,000 shoppers for the latency targets and the echo server at that same rate (the floor those
    /// latencies stand on), a connection storm and the referral loop. Every
    /// scenario warms up first, unmeasured (unless --warm-up says otherwise: 40 s for the saturated runs,
    /// 10 s for the others).
    /// </summary>
    private static PlannedRun[] Full(LoadTestOptions options)
    {
        var full = options with
        {
            Shoppers = options.Shoppers ?? 1000,
            DurationSeconds = options.DurationSeconds ?? 30,
            WarmUpSeconds = options.WarmUpSeconds ?? 10,
            Concurrency = options.Concurrency ?? 256,
        };
        // Saturated, the gateway keeps speeding up for about 40 s while the JIT's tiers catch up (its rate
        // climbed from ~3,500 to ~7,000 events/s over a 10 s warm-up and 30 s run; with tiered compilation
        // off it reaches its rate in 5-10 s), so a ceiling read after 10 s measured the warm-up.
        var saturate = full with { Load = "concurrency", WarmUpSeconds = options.WarmUpSeconds ?? SaturatedWarmUpSeconds };
        return
        [
            new(Defaults(saturate, "echo", "echo"), Correctness),
            new(Defaults(saturate, "hot-path", "hot-path"), Correctness,
                ThresholdsFromEarlierRuns: results => Named(results, "echo") is { } echo
                    ? [Threshold.ThroughputAtLeast("50 % of echo", echo.ThroughputPerSec * 0.5)]
                    : []),
            // "Half of that throughput": half of what the hot path itself sustained. Half of echo's rate
            // would be at or above the hot path's saturation, where queues grow and no p99 target holds.
            new(Defaults(full with { Load = "ramp" }, "hot-path", "hot-path-half"),
                [.. Correctness, Threshold.PushP99AtMost(10), Threshold.PushP50AtMost(2)],
                Adjust: HalfOfHotPath),
            // The floor under those latencies: the same clients, rate and load simulation against the echo
            // server, so what the machine and the load generator add on their own is measured in the same run.
            new(Defaults(full with { Load = "ramp" }, "echo", "echo-half"), Correctness, Adjust: HalfOfHotPath),
            new(Defaults(full with { Shoppers = options.Shoppers ?? 2000 }, "connect-storm", "connect-storm"), Correctness),
            new(Defaults(full with { Concurrency = options.Concurrency ?? 16 }, "referral-loop", "referral-loop"), Correctness),
        ];
    }

    private static ScenarioSettings HalfOfHotPath(IReadOnlyList<ScenarioResult> results, ScenarioSettings settings) =>
        Named(results, "hot-path") is { ThroughputPerSec: > 0 } hot
            ? settings with { Rate = Math.Round(hot.ThroughputPerSec * 0.5) }
            : settings;

    private static ScenarioResult? Named(IReadOnlyList<ScenarioResult> results, string name) =>
        results.FirstOrDefault(r => r.Name == name);

    private static ScenarioSettings Defaults(LoadTestOptions options, string scenario, string reportName) => new()
    {
        Scenario = scenario,
        ReportName = reportName,
        Shoppers = options.Shoppers ?? 100,
        Rate = options.Rate ?? 500,
        Duration = TimeSpan.FromSeconds(options.DurationSeconds ?? 20),
        WarmUp = TimeSpan.FromSeconds(options.WarmUpSeconds ?? 0),
        Load = options.Load ?? "ramp",
        Concurrency = options.Concurrency ?? 64,
        PushEvery = options.PushEvery ?? 5,
    };
}
