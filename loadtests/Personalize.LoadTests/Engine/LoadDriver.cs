using System.Diagnostics;

namespace Personalize.LoadTests.Engine;

/// <summary>
/// Runs load simulations against one scenario step. Steps record their own outcome in the scenario's
/// stats and never throw; the driver only decides when each starts.
/// </summary>
public sealed class LoadDriver(Func<long, Task> step, int maxInFlight)
{
    private long _sequence;
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Raised as each simulation starts, with its index: the runner marks the steady phase.</summary>
    public event Action<int, LoadSimulation>? PhaseStarted;

    public async Task RunAsync(IReadOnlyList<LoadSimulation> simulations, CancellationToken cancellationToken)
    {
        var previousRate = 0.0;
        for (var i = 0; i < simulations.Count && !cancellationToken.IsCancellationRequested; i++)
        {
            var simulation = simulations[i];
            PhaseStarted?.Invoke(i, simulation);
            switch (simulation)
            {
                case RampingInject ramp:
                    await InjectAsync(previousRate, ramp.ToRate, ramp.During, cancellationToken);
                    previousRate = ramp.ToRate;
                    break;
                case Inject inject:
                    await InjectAsync(inject.Rate, inject.Rate, inject.During, cancellationToken);
                    previousRate = inject.Rate;
                    break;
                case KeepConstant keep:
                    await KeepConstantAsync(keep, cancellationToken);
                    break;
                case InjectAtOnce burst:
                    await Task.WhenAll(Enumerable.Range(0, burst.Count).Select(_ => Launch()));
                    break;
                default:
                    throw new ArgumentException($"Unknown load simulation {simulation.GetType().Name}.", nameof(simulations));
            }
        }
    }

    /// <summary>Waits for the steps still running, up to <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForInFlightAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (InFlight > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10);
        }
        return InFlight == 0;
    }

    /// <summary>
    /// Open model: arrivals follow the clock (the integral of the rate), not the answers, so a slow
    /// server shows up as latency and a backlog instead of a quietly lower rate. The in-flight cap only
    /// keeps the generator itself from drowning.
    /// </summary>
    private async Task InjectAsync(double fromRate, double toRate, TimeSpan during, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var seconds = during.TotalSeconds;
        long issued = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var t = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (t >= seconds)
            {
                break;
            }
            var due = (long)(fromRate * t + (toRate - fromRate) * t * t / (2 * seconds));
            while (issued < due && InFlight < maxInFlight)
            {
                _ = Launch();
                issued++;
            }
            await Task.Delay(1, CancellationToken.None);
        }
    }

    private async Task KeepConstantAsync(KeepConstant keep, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(keep.During.TotalSeconds * Stopwatch.Frequency);
        var copies = Enumerable.Range(0, keep.Copies).Select(async _ =>
        {
            // Yield first so the copies start together instead of one after the other's first step.
            await Task.Yield();
            while (!cancellationToken.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
            {
                await Launch();
            }
        });
        await Task.WhenAll(copies);
    }

    private async Task Launch()
    {
        var sequence = Interlocked.Increment(ref _sequence) - 1;
        Interlocked.Increment(ref _inFlight);
        // Run the step off the scheduler loop so a step that completes synchronously cannot stall it.
        await Task.Yield();
        try
        {
            await step(sequence);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
