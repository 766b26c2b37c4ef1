namespace Personalize.LoadTests.Engine;

/// <summary>One scenario's line in report.json (the field names are the issue's).</summary>
public sealed record ScenarioResult
{
    public required string Name { get; init; }
    public required string Scenario { get; init; }
    public required string Target { get; init; }
    public required int Shoppers { get; init; }
    public required IReadOnlyList<string> Simulations { get; init; }
    /// <summary>All load, warm-up included.</summary>
    public required double DurationSeconds { get; init; }
    /// <summary>Planned length of the unmeasured phases before the measured one (warm-up, ramp).</summary>
    public double WarmUpSeconds { get; init; }
    public required long Sent { get; init; }
    public required long Acknowledged { get; init; }
    public required long PushesExpected { get; init; }
    public required long PushesReceived { get; init; }
    public required long UnexpectedPushes { get; init; }
    public required long Lost { get; init; }
    public required long Errors { get; init; }
    public required IReadOnlyList<string> ErrorSamples { get; init; }
    /// <summary>Acknowledged events per second over the last (steady) simulation phase.</summary>
    public required double ThroughputPerSec { get; init; }
    public required LatencySet LatencyMs { get; init; }
    /// <summary>The load generator's own collections over the measured phase (absent in reports written before it was kept).</summary>
    public GeneratorGc? GeneratorGc { get; init; }
    public IReadOnlyList<ThresholdResult> Thresholds { get; init; } = [];
    /// <summary>Acknowledged events per second, second by second, for the report's chart.</summary>
    public required IReadOnlyList<double> ThroughputTimeline { get; init; }
    /// <summary>(percentile, ms) points per latency kind, for the report's chart.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyList<double[]>> Curves { get; init; }

    public bool Passed => Thresholds.All(t => t.Passed);
}

/// <summary>Track round trip, event→push, and connection opening.</summary>
public sealed record LatencySet(LatencySummary Track, LatencySummary Push, LatencySummary Connect);
