using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>One push the simulated shopper would get.</summary>
/// <param name="EventIndex">The event that caused it, or null for an idle trigger (due after that quiet period).</param>
/// <param name="HeldOut">A real shopper with the simulated id would be in the holdout and get no push.</param>
public sealed record SimulatedPush(int? EventIndex, DateTimeOffset At, bool HeldOut, Nudge Nudge);

/// <summary>
/// Runs a draft trigger against a fresh shopper fed a list of events, with the same
/// <see cref="ShopperModel"/> rules a shopper grain uses, entirely in memory: no grain, no storage, no
/// counter. Honoured: conditions, active window, maxPerShopper, cooldown, the global hourly cap,
/// maxPerDay (counted within the simulation), consent. Holdout is not applied, so the marketer sees the
/// push; it is flagged <c>heldOut</c> when the simulated shopper id falls in the holdout. Events without
/// <c>at</c> happen at the previous event's time (the first at <paramref name="start"/>). Idle triggers
/// fire in the gaps between events and once more after the last event, as if the shopper then went quiet.
/// </summary>
public static class TriggerSimulator
{
    public static async Task<IReadOnlyList<SimulatedPush>> RunAsync(
        TriggerDefinition trigger, IReadOnlyList<ShopperEvent> events, string shopperId, NudgeOptions options, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(events);
        var catalog = CompiledCatalog.Compile(1, [(trigger, false)]);
        var model = new ShopperModel(shopperId, new ShopperState(), options, NoTriggerStats.Instance, applyHoldout: false);
        var budget = new LocalDailyBudget();
        var pushes = new List<SimulatedPush>();
        var now = start;

        for (var i = 0; i < events.Count; i++)
        {
            var at = events[i].At ?? now;
            await RunIdleAsync(model, catalog, budget, until: at, pushes);
            now = at;
            if (model.Accept(events[i] with { At = at }, now) is not { } e) continue;
            model.Apply(e, now);
            var verdict = await model.JudgeEventAsync(catalog, e, now, budget);
            if (verdict.Nudge is { } nudge) pushes.Add(new SimulatedPush(i, now, verdict.HeldOut, nudge));
        }
        await RunIdleAsync(model, catalog, budget, until: null, pushes);
        return pushes;
    }

    /// <summary>Fires the idle triggers falling due before <paramref name="until"/> (all of them when null).</summary>
    private static async Task RunIdleAsync(ShopperModel model, CompiledCatalog catalog, IDailyBudget budget, DateTimeOffset? until,
        List<SimulatedPush> pushes)
    {
        // Each pass moves the spell's checked-until mark forward, so this ends after at most one pass per idle trigger.
        while (model.NextIdleDue(catalog) is { } due && (until is null || due <= until))
        {
            var verdict = await model.JudgeIdleAsync(catalog, due, budget);
            if (verdict.Nudge is { } nudge) pushes.Add(new SimulatedPush(null, due, verdict.HeldOut, nudge));
        }
    }
}
