using Personalize.LoadTests.Engine;

namespace Personalize.LoadTests.Scenarios;

/// <summary>How one scenario run is shaped; the command line and the profiles fill it.</summary>
public sealed record ScenarioSettings
{
    /// <summary>The scenario kind: echo, hot-path, connect-storm or referral-loop.</summary>
    public required string Scenario { get; init; }
    /// <summary>The name in the report; a profile may run one scenario twice under two names.</summary>
    public required string ReportName { get; init; }
    public int Shoppers { get; init; } = 100;
    public double Rate { get; init; } = 500;
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary><c>ramp</c> (ramp to the rate, then hold it), <c>constant</c> (rate from the start) or <c>concurrency</c>.</summary>
    public string Load { get; init; } = "ramp";
    /// <summary>Copies kept busy under the <c>concurrency</c> load.</summary>
    public int Concurrency { get; init; } = 64;
    /// <summary>Every n-th event of a shopper is the one the trigger pushes on: a known fraction of 1/n.</summary>
    public int PushEvery { get; init; } = 5;
    /// <summary>How long to wait after the load for pushes still on their way before they count as lost.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Open-model simulations for steady event traffic, per <see cref="Load"/>.</summary>
    public IReadOnlyList<LoadSimulation> SteadySimulations()
    {
        switch (Load)
        {
            case "constant":
                return [new Inject(Rate, Duration)];
            case "concurrency":
                return [new KeepConstant(Concurrency, Duration)];
            case "ramp":
                // A short ramp lets connections, JIT and grain activations settle before the steady part,
                // which alone is measured for latency and throughput.
                var ramp = TimeSpan.FromSeconds(Math.Min(10, Duration.TotalSeconds * 0.2));
                return [new RampingInject(Rate, ramp), new Inject(Rate, Duration - ramp)];
            default:
                throw new ArgumentException($"Unknown --load '{Load}' (ramp, constant, concurrency).");
        }
    }
}
