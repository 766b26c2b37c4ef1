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
    /// <summary>
    /// NBomber's WarmUpDuration: the same load runs this long before <see cref="Duration"/> but is not measured
    /// (JIT tiering, first grain activations, pools). It still counts for loss and errors.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.Zero;
    /// <summary><c>ramp</c> (ramp to the rate, then hold it), <c>constant</c> (rate from the start) or <c>concurrency</c>.</summary>
    public string Load { get; init; } = "ramp";
    /// <summary>Copies kept busy under the <c>concurrency</c> load.</summary>
    public int Concurrency { get; init; } = 64;
    /// <summary>Every n-th event of a shopper is the one the trigger pushes on: a known fraction of 1/n.</summary>
    public int PushEvery { get; init; } = 5;
    /// <summary>How long to wait after the load for pushes still on their way before they count as lost.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Simulations for steady event traffic, per <see cref="Load"/>: the warm-up phases (if any) first, the
    /// measured phase last (the runner measures only the last one).
    /// </summary>
    public IReadOnlyList<LoadSimulation> SteadySimulations()
    {
        switch (Load)
        {
            case "constant":
                return WarmUp > TimeSpan.Zero ? [new Inject(Rate, WarmUp), new Inject(Rate, Duration)] : [new Inject(Rate, Duration)];
            case "concurrency":
                return WarmUp > TimeSpan.Zero
                    ? [new KeepConstant(Concurrency, WarmUp), new KeepConstant(Concurrency, Duration)]
                    : [new KeepConstant(Concurrency, Duration)];
            case "ramp":
                if (WarmUp > TimeSpan.Zero)
                {
                    // Ramp over the first half of the warm-up, hold the rate for the rest, then measure all of Duration.
                    var warmRamp = WarmUp / 2;
                    return [new RampingInject(Rate, warmRamp), new Inject(Rate, WarmUp - warmRamp), new Inject(Rate, Duration)];
                }
                // Without a warm-up, a short ramp lets connections, JIT and grain activations settle before the
                // steady part, which alone is measured for latency and throughput.
                var ramp = TimeSpan.FromSeconds(Math.Min(10, Duration.TotalSeconds * 0.2));
                return [new RampingInject(Rate, ramp), new Inject(Rate, Duration - ramp)];
            default:
                throw new ArgumentException($"Unknown --load '{Load}' (ramp, constant, concurrency).");
        }
    }

    /// <summary>The closed-model simulations with <see cref="WarmUp"/> in front (referral loop).</summary>
    public IReadOnlyList<LoadSimulation> KeepConstantWithWarmUp(int copies) => WarmUp > TimeSpan.Zero
        ? [new KeepConstant(copies, WarmUp), new KeepConstant(copies, Duration)]
        : [new KeepConstant(copies, Duration)];
}
