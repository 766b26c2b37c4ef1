namespace Personalize.LoadTests.Engine;

/// <summary>
/// How load is applied, in NBomber's words: inject at a rate (open model: arrivals do not wait for
/// answers), ramp that rate, or keep a number of copies busy (closed model: each waits for its answer).
/// Simulations run one after the other.
/// </summary>
public abstract record LoadSimulation(TimeSpan During)
{
    public abstract string Describe();
}

/// <summary>Open model, rate moving linearly from the previous simulation's rate to <see cref="ToRate"/>.</summary>
public sealed record RampingInject(double ToRate, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"ramping inject to {ToRate:0.#}/s over {During.TotalSeconds:0.#} s";
}

/// <summary>Open model at a constant rate.</summary>
public sealed record Inject(double Rate, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"inject {Rate:0.#}/s for {During.TotalSeconds:0.#} s";
}

/// <summary>Closed model: <see cref="Copies"/> loops, each starting its next step when the last one ends.</summary>
public sealed record KeepConstant(int Copies, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"keep constant {Copies} copies for {During.TotalSeconds:0.#} s";
}

/// <summary>One burst of <see cref="Count"/> steps started at once (connection storms).</summary>
public sealed record InjectAtOnce(int Count) : LoadSimulation(TimeSpan.Zero)
{
    public override string Describe() => $"inject {Count} at once";
}
