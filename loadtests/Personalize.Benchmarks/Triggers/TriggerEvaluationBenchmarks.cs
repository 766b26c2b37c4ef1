using BenchmarkDotNet.Attributes;
using Personalize.Grains;
using Personalize.Triggers;

namespace Personalize.Benchmarks.Triggers;

/// <summary>
/// Issue 6: "trigger evaluation ≤ 2 µs per event for 100 triggers, with zero allocations". Judges one
/// <c>add_to_cart</c> of a busy shopper (<see cref="BusyShopper"/>) against 100 triggers of its type with
/// the real <see cref="ShopperModel"/> as the fact source, as <c>ShopperGrain.TrackAsync</c> does after
/// applying the event. <see cref="JudgeEvent_NoMatch"/> is the headline figure: nothing matches, so every
/// trigger is judged. <see cref="JudgeEvent_LastMatches"/> adds the push (the nudge and its id are
/// expected allocations).
/// </summary>
[BenchmarkCategory("triggers")]
public class TriggerEvaluationBenchmarks
{
    private static readonly IDailyBudget Budget = new UnlimitedBudget();

    private CompiledCatalog _noMatch = CompiledCatalog.Empty;
    private CompiledCatalog _lastMatches = CompiledCatalog.Empty;
    private ShopperModel _model = null!;
    private ShopperEvent _event = BusyShopper.Event;

    [GlobalSetup]
    public void Setup()
    {
        _noMatch = BusyShopper.Catalog(lastMatches: false);
        _lastMatches = BusyShopper.Catalog(lastMatches: true);
        _model = BusyShopper.Model(out _event);

        // Guard the scenario itself: a template edit that makes something match would measure less work.
        if (Judge(_noMatch).Nudge is { } unexpected)
        {
            throw new InvalidOperationException($"{unexpected.TriggerId} matched; the no-match catalog must judge all 100 triggers.");
        }

        if (JudgeEvent_LastMatches()?.TriggerId != BusyShopper.MatchingTriggerId)
        {
            throw new InvalidOperationException("The last trigger did not fire.");
        }
    }

    /// <summary>One event against 100 triggers of its type, none matching: the figure.</summary>
    [Benchmark(Baseline = true)]
    public Verdict JudgeEvent_NoMatch() => Judge(_noMatch);

    /// <summary>The same, with the lowest-priority trigger matching and issuing its offer.</summary>
    [Benchmark]
    public Nudge? JudgeEvent_LastMatches()
    {
        var nudge = Judge(_lastMatches).Nudge;
        // Forget the push for the hourly cap so every invocation judges the same shopper; outbox and sent
        // list are bounded, so they reach a steady state after 20 invocations.
        _model.State.RecentPushes.RemoveAt(_model.State.RecentPushes.Count - 1);
        return nudge;
    }

    /// <summary>Which recommendation lists the grain fetches before judging (once per event).</summary>
    [Benchmark]
    public (bool, bool) StrategiesNeeded() => ShopperModel.StrategiesNeeded(_noMatch, _event.Type);

    private Verdict Judge(CompiledCatalog catalog)
    {
        var pending = _model.JudgeEventAsync(catalog, _event, BusyShopper.Now, Budget);
        return pending.IsCompletedSuccessfully ? pending.Result : throw new InvalidOperationException("Judging went asynchronous.");
    }

    /// <summary>Always has budget, synchronously: the silo's leased allotment in its steady state.</summary>
    private sealed class UnlimitedBudget : IDailyBudget
    {
        public ValueTask<bool> TryTakeAsync(string triggerId, int maxPerDay, DateTimeOffset now) => ValueTask.FromResult(true);
    }
}
