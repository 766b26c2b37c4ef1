using System.Diagnostics;
using Personalize.LoadTests.Engine;
using Personalize.LoadTests.Targets;

namespace Personalize.LoadTests.Scenarios;

/// <summary>
/// A scenario: set up (connections, triggers), one step of load the driver calls many times, and a
/// drain that gives pushes still on the wire their chance before the rest count as lost.
/// </summary>
public abstract class Scenario(ScenarioSettings settings, Target target, HttpClient http, string runId) : IAsyncDisposable
{
    public ScenarioSettings Settings { get; } = settings;
    public Target Target { get; } = target;
    public ScenarioStats Stats { get; } = new();
    protected HttpClient Http { get; } = http;
    protected string RunId { get; } = runId;

    public abstract IReadOnlyList<LoadSimulation> Simulations { get; }

    /// <summary>What throughput counts: acknowledged events, or opened connections for a storm.</summary>
    public virtual long ThroughputCount => Stats.Acknowledged;

    public abstract Task InitAsync(Action<string> say, CancellationToken cancellationToken);

    /// <summary>
    /// Called as the measured (last) phase starts after warm-up phases: like NBomber's warm-up, those count
    /// for loss and errors but not for latency.
    /// </summary>
    public virtual void StartMeasuring()
    {
        Stats.Track.Reset();
        Stats.Push.Reset();
    }

    /// <summary>One unit of load. Records its outcome in <see cref="Stats"/> and never throws.</summary>
    public abstract Task StepAsync(long sequence);

    public virtual async Task DrainAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Settings.DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stats.PushesReceived < Stats.PushesExpected && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(20);
        }
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>Builds the scenario a settings record names.</summary>
    public static Scenario Create(ScenarioSettings settings, Target target, HttpClient http, string runId) => settings.Scenario switch
    {
        "echo" or "hot-path" => new HotPathScenario(settings, target, http, runId),
        "connect-storm" => new ConnectStormScenario(settings, target, http, runId),
        "referral-loop" => new ReferralLoopScenario(settings, target, http, runId),
        _ => throw new ArgumentException($"Unknown scenario '{settings.Scenario}' (echo, hot-path, connect-storm, referral-loop)."),
    };
}
