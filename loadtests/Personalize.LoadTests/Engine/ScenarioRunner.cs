using System.Diagnostics;
using Personalize.LoadTests.Scenarios;

namespace Personalize.LoadTests.Engine;

/// <summary>Runs one scenario: init, load under live progress, drain, result.</summary>
public static class ScenarioRunner
{
    /// <summary>Keeps the generator from drowning itself when the server falls behind an open-model rate.</summary>
    private const int MaxInFlight = 20_000;

    public static async Task<ScenarioResult> RunAsync(Scenario scenario, Action<string> say, CancellationToken cancellationToken)
    {
        await scenario.InitAsync(say, cancellationToken);
        var simulations = scenario.Simulations;
        var driver = new LoadDriver(scenario.StepAsync, MaxInFlight);
        long steadyStart = 0;
        long steadyStartCount = 0;
        var gcAtSteadyStart = GeneratorGc.Mark.Now();
        driver.PhaseStarted += (index, _) =>
        {
            if (index == simulations.Count - 1)
            {
                steadyStart = Stopwatch.GetTimestamp();
                steadyStartCount = scenario.ThroughputCount;
                gcAtSteadyStart = GeneratorGc.Mark.Now();
                if (index > 0)
                {
                    // Earlier phases are the warm-up (JIT tiering, thread pools, grain activations).
                    scenario.StartMeasuring();
                }
            }
        };
        var planned = TimeSpan.FromTicks(simulations.Sum(s => s.During.Ticks));
        var warmUp = TimeSpan.FromTicks(simulations.Take(simulations.Count - 1).Sum(s => s.During.Ticks));
        say($"load: {string.Join(", then ", simulations.Select(s => s.Describe()))}");
        var started = Stopwatch.GetTimestamp();
        var progress = new LiveProgress(scenario.Settings.ReportName, scenario.Stats, () => driver.InFlight, planned);
        await progress.RunWhileAsync(driver.RunAsync(simulations, cancellationToken));
        var generatorGc = GeneratorGc.Mark.Now().Since(gcAtSteadyStart);
        var steadySeconds = Stopwatch.GetElapsedTime(steadyStart).TotalSeconds;
        var steadyCount = scenario.ThroughputCount - steadyStartCount;
        var loadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        if (!await driver.WaitForInFlightAsync(scenario.Settings.DrainTimeout))
        {
            scenario.Stats.CountError($"{driver.InFlight} steps still running {scenario.Settings.DrainTimeout.TotalSeconds} s after the load ended");
        }
        await scenario.DrainAsync();
        var stats = scenario.Stats;
        return new ScenarioResult
        {
            Name = scenario.Settings.ReportName,
            Scenario = scenario.Settings.Scenario,
            Target = scenario.Target.Kind,
            Shoppers = scenario.Settings.Shoppers,
            Simulations = simulations.Select(s => s.Describe()).ToArray(),
            DurationSeconds = Math.Round(loadSeconds, 2),
            WarmUpSeconds = Math.Round(warmUp.TotalSeconds, 2),
            Sent = stats.Sent,
            Acknowledged = stats.Acknowledged,
            PushesExpected = stats.PushesExpected,
            PushesReceived = stats.PushesReceived,
            UnexpectedPushes = stats.UnexpectedPushes,
            Lost = Math.Max(0, stats.PushesExpected - stats.PushesReceived),
            Errors = stats.Errors,
            ErrorSamples = stats.ErrorSamples.ToArray(),
            ThroughputPerSec = steadySeconds > 0 ? Math.Round(steadyCount / steadySeconds, 1) : 0,
            LatencyMs = new LatencySet(stats.Track.Summarize(), stats.Push.Summarize(), stats.Connect.Summarize()),
            GeneratorGc = generatorGc,
            ThroughputTimeline = progress.Timeline,
            Curves = new Dictionary<string, IReadOnlyList<double[]>>
            {
                ["track"] = stats.Track.Curve().Select(p => new[] { p.Percentile, p.Ms }).ToArray(),
                ["push"] = stats.Push.Curve().Select(p => new[] { p.Percentile, p.Ms }).ToArray(),
                ["connect"] = stats.Connect.Curve().Select(p => new[] { p.Percentile, p.Ms }).ToArray(),
            },
        };
    }
}
