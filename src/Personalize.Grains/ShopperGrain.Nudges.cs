using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>Judging an event against the compiled triggers, guarding, and issuing the one push.</summary>
public sealed partial class ShopperGrain
{
    private bool IsReferred => State.ReferredBy is not null;
    private int ReferralCount => State.Referrals;

    /// <summary>
    /// Picks the highest-priority trigger that is active, passes its guards and matches; returns the
    /// push it makes (null when none, or when the shopper is in that trigger's holdout).
    /// </summary>
    private async Task<(Nudge? Nudge, bool Changed)> JudgeAsync(ShopperEvent e, DateTimeOffset now)
    {
        var catalog = await catalogs.GetAsync();
        if (State.ConsentWithdrawn || catalog.All.Count == 0) return (null, false);
        PruneRecentPushes(now);
        if (State.RecentPushes.Count >= _options.MaxPerShopperPerHour) return (null, false);

        var winner = FindWinner(catalog, e, now);
        if (winner is null) return (null, false);

        var memory = Memory(winner.Id);
        memory.Converted = false;
        if (Holdout.IsHeldOut(ShopperId, winner.Id, winner.Definition.HoldoutPercent))
        {
            memory.HoldoutAt = now;
            return (null, true);
        }

        memory.Fired++;
        memory.LastFiredAt = now;
        State.RecentPushes.Add(now);
        var nudge = BuildNudge(winner.Definition, now);
        State.Outbox.Add(nudge);
        if (State.Outbox.Count > ShopperLimits.Outbox) State.Outbox.RemoveAt(0);
        return (nudge, true);
    }

    private CompiledTrigger? FindWinner(CompiledCatalog catalog, ShopperEvent e, DateTimeOffset now)
    {
        _event = e;
        _now = now;
        try
        {
            foreach (var trigger in catalog.ForEvent(e.Type))
            {
                if (trigger.IsActiveAt(now) && PassesLimits(trigger.Definition, now) && trigger.Evaluate(this))
                    return trigger;
            }
            return null;
        }
        finally
        {
            _event = null;
        }
    }

    private bool PassesLimits(TriggerDefinition trigger, DateTimeOffset now)
    {
        if (trigger.Limits is not { } limits || !State.Triggers.TryGetValue(trigger.Id, out var memory)) return true;
        if (limits.MaxPerShopper is { } max && memory.Fired >= max) return false;
        if (limits.CooldownSeconds is { } cooldown && memory.LastFiredAt is { } last && now - last < TimeSpan.FromSeconds(cooldown))
            return false;
        return true;
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
                ProductIds = RecentlyViewed(action.Count ?? 4),
            },
            _ => nudge with { Kind = NudgeKinds.ReferralPrompt, Code = State.ReferralCode },
        };
    }

    /// <summary>A codePrefix offer gives each shopper one unique code per trigger, kept for reuse.</summary>
    private string OfferCode(string triggerId, string prefix)
    {
        if (!State.IssuedCodes.TryGetValue(triggerId, out var code))
            State.IssuedCodes[triggerId] = code = prefix + Codes.New(8);
        return code;
    }

    /// <summary>Products the shopper viewed, newest first, not already in the basket.</summary>
    private List<string> RecentlyViewed(int count)
    {
        var ids = new List<string>(count);
        for (var i = State.Clicks.Count - 1; i >= 0 && ids.Count < count; i--)
        {
            var click = State.Clicks[i];
            if (click.Type == EventTypes.ProductView && click.ProductId is { } id && !ids.Contains(id)
                && !State.Basket.Exists(l => l.ProductId == id))
                ids.Add(id);
        }
        return ids;
    }

    private void PruneRecentPushes(DateTimeOffset now) =>
        State.RecentPushes.RemoveAll(t => now - t >= TimeSpan.FromHours(1));

    private void PruneOutbox(DateTimeOffset now) => State.Outbox.RemoveAll(n => n.ExpiresAt <= now);

    private Task PushToObserversAsync(Nudge nudge)
    {
        var shopperId = ShopperId;
        return _observers.Count == 0 ? Task.CompletedTask : _observers.Notify(o => o.PushAsync(shopperId, nudge));
    }
}
