namespace Personalize.LoadTests.Engine;

/// <summary>
/// A pass/fail rule on a scenario's result (NBomber's thresholds). The run's exit code is non-zero
/// when any fails.
/// </summary>
public sealed record Threshold(string Name, Func<ScenarioResult, double> Measure, string Op, double Limit)
{
    public ThresholdResult Evaluate(ScenarioResult result)
    {
        var actual = Measure(result);
        var passed = Op switch
        {
            "<=" => actual <= Limit,
            ">=" => actual >= Limit,
            "==" => actual == Limit,
            ">" => actual > Limit,
            _ => throw new InvalidOperationException($"Unknown threshold operator {Op}."),
        };
        return new ThresholdResult(Name, $"{Op} {Limit}", Math.Round(actual, 3), passed);
    }

    public static Threshold NoLostPushes { get; } = new("lost == 0", r => r.Lost, "==", 0);
    public static Threshold NoErrors { get; } = new("errors == 0", r => r.Errors, "==", 0);
    public static Threshold SomethingAcknowledged { get; } = new("acknowledged > 0", r => r.Acknowledged, ">", 0);

    public static Threshold PushP99AtMost(double ms) => new($"event→push p99 <= {ms} ms", r => r.LatencyMs.Push.P99, "<=", ms);

    public static Threshold PushP50AtMost(double ms) => new($"event→push p50 <= {ms} ms", r => r.LatencyMs.Push.P50, "<=", ms);

    public static Threshold ThroughputAtLeast(string what, double perSecond) =>
        new($"throughput >= {what}", r => r.ThroughputPerSec, ">=", Math.Round(perSecond, 1));
}

public sealed record ThresholdResult(string Name, string Limit, double Actual, bool Passed);
