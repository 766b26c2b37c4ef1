using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>What judging decided: the push (null when none or held out) and whether state changed.</summary>
public readonly record struct Verdict(Nudge? Nudge, bool HeldOut, bool Changed)
{
    public static Verdict None => default;
}

/// <summary>Judging an event (or an idle spell) against the compiled triggers, guarding, and issuing the one push.</summary>
public sealed partial class ShopperModel
{
    /// <summary>
    /// Picks the highest-priority trigger woken by the event that is active, passes its guards and
    /// matches. Guards: consent, the global hourly cap, maxPerShopper, cooldown, maxPerDay (a budget
    /// the caller leases), holdout. At most one push per event.
    /// </summary>
    public ValueTask<Verdict> JudgeEventAsync(CompiledCatalog catalog, ShopperEvent e, DateTimeOffset now, IDailyBudget budget)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(e);
        if (!MayPush(catalog, now)) return ValueTask.FromResult(Verdict.None);
        return JudgeAsync(new Candidates(catalog, e.Type), e, now, budget);
    }

    /// <summary>
    /// Judges idle triggers whose quiet period ended by <paramref name="now"/> and were not judged yet in
    /// this idle spell (the time since the last shopper event). Each idle trigger is judged at most once
    /// per spell, so it fires at most once per spell; a new event starts a new spell.
    /// </summary>
    /// <remarks>Moves <see cref="ShopperState.IdleCheckedUntil"/> even when nothing fires; that alone may be stored lazily.</remarks>
    public async ValueTask<Verdict> JudgeIdleAsync(CompiledCatalog catalog, DateTimeOffset now, IDailyBudget budget)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (State.LastEventAt is not { } last || catalog.IdleTriggers.Count == 0) return Verdict.None;
        var checkedUntil = SpellCheckedUntil(last);
        if (now <= checkedUntil) return Verdict.None;
        State.IdleCheckedUntil = now;
        if (!MayPush(catalog, now)) return Verdict.None;
        return await JudgeAsync(new Candidates(catalog, last, checkedUntil, now), null, now, budget);
    }

    /// <summary>When the next idle trigger of this spell falls due; null when none is waiting.</summary>
    public DateTimeOffset? NextIdleDue(CompiledCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (State.LastEventAt is not { } last || State.ConsentWithdrawn) return null;
        var checkedUntil = SpellCheckedUntil(last);
        DateTimeOffset? next = null;
        foreach (var trigger in catalog.IdleTriggers)
        {
            var due = last.AddSeconds(trigger.IdleSeconds!.Value);
            if (due > checkedUntil && (next is null || due < next)) next = due;
        }
        return next;
    }

    /// <summary>Checks made in an earlier spell do not count in this one.</summary>
    private DateTimeOffset SpellCheckedUntil(DateTimeOffset lastEvent) =>
        State.IdleCheckedUntil is { } c && c >= lastEvent ? c : lastEvent;

    private bool MayPush(CompiledCatalog catalog, DateTimeOffset now)
    {
        if (State.ConsentWithdrawn || catalog.All.Count == 0) return false;
        PruneRecentPushes(now);
        return State.RecentPushes.Count < _options.MaxPerShopperPerHour;
    }

    private async ValueTask<Verdict> JudgeAsync(Candidates candidates, ShopperEvent? e, DateTimeOffset now, IDailyBudget budget)
    {
        var judging = _judging = JudgementScratch.Rent();
        try
        {
            return await JudgeWithAsync(candidates, e, now, budget);
        }
        finally
        {
            _judging = null;
            JudgementScratch.Return(judging);
        }
    }

    private async ValueTask<Verdict> JudgeWithAsync(Candidates candidates, ShopperEvent? e, DateTimeOffset now, IDailyBudget budget)
    {
        BeginJudgement(candidates.Catalog, e?.Type, now);
        for (var i = NextMatch(candidates, 0, e, now); i >= 0; i = NextMatch(candidates, i + 1, e, now))
        {
            candidates.TryGet(i, out var trigger);
            var heldOut = Holdout.IsHeldOut(ShopperId, trigger.Id, trigger.Definition.HoldoutPercent);
            if (heldOut && _applyHoldout)
            {
                var memory = Memory(trigger.Id);
                memory.HoldoutAt = now;
                memory.Converted = false;
                _stats.Count(trigger.Id, TriggerCounter.HoldoutAssigned);
                return new Verdict(null, HeldOut: true, Changed: true);
            }
            // The daily budget is spent only on real pushes; a trigger out of budget yields to the next one.
            if (trigger.Definition.Limits?.MaxPerDay is { } perDay && !await budget.TryTakeAsync(trigger.Id, perDay, now))
            {
                // The state may have moved on while the budget was asked: answers memoised before do not hold.
                BeginJudgement(candidates.Catalog, e?.Type, now);
                continue;
            }
            return new Verdict(Issue(trigger.Definition, now), heldOut, Changed: true);
        }
        return Verdict.None;
    }

    /// <summary>
    /// The index of the first candidate from <paramref name="start"/> on that is active, within its limits
    /// and matching; -1 when none is. Synchronous, so the hot loop walks the catalog's span with its locals
    /// in registers rather than in the async state machine.
    /// </summary>
    private int NextMatch(in Candidates candidates, int start, ShopperEvent? e, DateTimeOffset now)
    {
        var judging = Judging;
        judging.Event = e;
        try
        {
            if (candidates.EventType is { } eventType)
            {
                // The woken triggers are judged together (TriggerDecision); limits only for those that match.
                var decision = candidates.Catalog.DecisionFor(eventType);
                var woken = decision.Triggers;
                for (var i = decision.NextMatch(start, new Facts(this), judging.Conditions); i >= 0; i = decision.NextMatch(i + 1, new Facts(this), judging.Conditions))
                    if (PassesLimits(woken[i].Definition, now)) return i;
                return -1;
            }
            for (var i = start; candidates.TryGet(i, out var trigger); i++)
                if (Qualifies(trigger, now)) return i;
            return -1;
        }
        finally
        {
            judging.Event = null;
        }
    }

    /// <remarks>
    /// Conditions before limits: both are free of side effects, so the order changes no answer, and
    /// most candidates fail their conditions (cheap with memoised facts) before the per-trigger memory
    /// look-up the limits need.
    /// </remarks>
    private bool Qualifies(CompiledTrigger trigger, DateTimeOffset now) =>
        trigger.IsActiveAt(now) && trigger.Evaluate(new Facts(this), Judging.Conditions) && PassesLimits(trigger.Definition, now);

    private bool PassesLimits(TriggerDefinition trigger, DateTimeOffset now)
    {
        if (trigger.Limits is not { } limits || !State.Triggers.TryGetValue(trigger.Id, out var memory)) return true;
        if (limits.MaxPerShopper is { } max && memory.Fired >= max) return false;
        if (limits.CooldownSeconds is { } cooldown && memory.LastFiredAt is { } last && now - last < TimeSpan.FromSeconds(cooldown))
            return false;
        return true;
    }

    private Nudge Issue(TriggerDefinition trigger, DateTimeOffset now)
    {
        var memory = Memory(trigger.Id);
        memory.Fired++;
        memory.LastFiredAt = now;
        memory.Converted = false;
        State.RecentPushes.Add(now);
        var nudge = BuildNudge(trigger, now);
        State.Outbox.Add(nudge);
        if (State.Outbox.Count > ShopperLimits.Outbox) State.Outbox.RemoveAt(0);
        RememberSent(nudge.Id, trigger.Id);
        _stats.Count(trigger.Id, TriggerCounter.Fired);
        return nudge;
    }

    private TriggerMemory Memory(string triggerId)
    {
        if (!State.Triggers.TryGetValue(triggerId, out var memory))
            State.Triggers[triggerId] = memory = new TriggerMemory();
        return memory;
    }

    private Nudge BuildNudge(TriggerDefinition trigger, DateTimeOffset now)
    {
        var action = trigger.Action;
        var nudge = new Nudge
        {
            Id = Codes.NewId("n-"),
            TriggerId = trigger.Id,
            Title = action.Title,
            Message = action.Message,
            CreatedAt = now,
            ExpiresAt = now.AddSeconds(action.TtlSeconds),
        };
        return action.Type switch
        {
            "offer" => nudge with
            {
                Kind = NudgeKinds.Offer,
                Discount = new Reward { Kind = action.Discount!.Kind, Value = action.Discount.Value, Currency = action.Discount.Currency },
                Code = action.Code ?? OfferCode(trigger.Id, action.CodePrefix!),
            },
            "survey" => nudge with { Kind = NudgeKinds.Survey, Survey = action.Survey ?? "nps", Question = action.Question },
            "recommendations" => nudge with
            {
                Kind = NudgeKinds.Recommendations,
                Strategy = action.Strategy,
                ProductIds = RecommendedProducts(action.Strategy, action.Count ?? 4),
            },
            _ => ReferralPrompt(nudge),
        };
    }

    /// <summary>A codePrefix offer gives each shopper one unique code per trigger, kept for reuse.</summary>
    private string OfferCode(string triggerId, string prefix)
    {
        if (!State.IssuedCodes.TryGetValue(triggerId, out var code))
            State.IssuedCodes[triggerId] = code = prefix + Codes.New(8);
        return code;
    }

    /// <summary>Remembers a push sent; a full list reuses its oldest entry (as the click ring does) instead of promoting a new one per push.</summary>
    private void RememberSent(string nudgeId, string triggerId)
    {
        var sent = State.SentNudges;
        if (sent.Count < ShopperLimits.SentNudges)
        {
            sent.Add(new SentNudge { NudgeId = nudgeId, TriggerId = triggerId });
            return;
        }
        var reused = sent[0];
        sent.RemoveAt(0);
        (reused.NudgeId, reused.TriggerId, reused.Reported) = (nudgeId, triggerId, NudgeReports.None);
        sent.Add(reused);
    }

    /// <summary>Products the shopper viewed, newest first, not already in the basket.</summary>
    private List<string> RecentlyViewed(int count)
    {
        var ids = new List<string>(count);
        for (var i = State.Clicks.Count - 1; i >= 0 && ids.Count < count; i--)
        {
            var click = State.Clicks[i];
            if (click.Type == EventTypes.ProductView && click.ProductId is { } id && !ids.Contains(id)
                && !BasketHasProduct(id))
                ids.Add(id);
        }
        return ids;
    }

    /// <summary>Drops pushes older than an hour; a loop rather than RemoveAll, whose lambda would capture <paramref name="now"/> and allocate per event.</summary>
    private void PruneRecentPushes(DateTimeOffset now)
    {
        var pushes = State.RecentPushes;
        for (var i = pushes.Count - 1; i >= 0; i--)
            if (now - pushes[i] >= TimeSpan.FromHours(1)) pushes.RemoveAt(i);
    }

    /// <summary>
    /// The triggers one judgement considers, in firing order: those woken by an event type, or the idle
    /// triggers whose due time (last event + idleSeconds) lies in (checkedUntil, now].
    /// </summary>
    private readonly struct Candidates
    {
        private readonly DateTimeOffset _lastEvent, _after, _upTo;

        public Candidates(CompiledCatalog catalog, string eventType) => (Catalog, EventType) = (catalog, eventType);

        public Candidates(CompiledCatalog catalog, DateTimeOffset lastEvent, DateTimeOffset after, DateTimeOffset upTo) =>
            (Catalog, _lastEvent, _after, _upTo) = (catalog, lastEvent, after, upTo);

        public CompiledCatalog Catalog { get; }

        /// <summary>The event whose triggers are judged; null for idle triggers.</summary>
        public string? EventType { get; }

        /// <summary>The i-th candidate (skipping idle triggers not due in the window).</summary>
        public bool TryGet(int i, out CompiledTrigger trigger)
        {
            if (EventType is not null)
            {
                var woken = Catalog.ForEvent(EventType);
                trigger = i < woken.Length ? woken[i] : null!;
                return i < woken.Length;
            }
            var idle = Catalog.IdleTriggers;
            for (var seen = 0; seen < idle.Count; seen++)
            {
                var due = _lastEvent.AddSeconds(idle[seen].IdleSeconds!.Value);
                if (due <= _after || due > _upTo) continue;
                if (i-- == 0)
                {
                    trigger = idle[seen];
                    return true;
                }
            }
            trigger = null!;
            return false;
        }
    }
}
