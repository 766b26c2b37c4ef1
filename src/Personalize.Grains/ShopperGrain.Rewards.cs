using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// The shopper as a referrer: the reward ledger. Credits and reversals arrive from friends' grains and
/// are applied idempotently by the friend's order id; a pending reward is confirmed by the reminder.
/// </summary>
public sealed partial class ShopperGrain
{
    public async Task<ReferralOutcome> ApplyReferralAsync(ReferralHandoff handoff)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        var now = services.Time.GetUtcNow();
        var entry = Referral.Ledger.Find(l => l.Key == handoff.Key);
        return handoff.Kind == ReferralHandoffKind.Credit
            ? await CreditAsync(handoff, entry, now)
            : await ReverseAsync(handoff, entry);
    }

    public async Task<DateTimeOffset?> WakeUpAsync()
    {
        await DeliverReferralHandoffsAsync();
        await ConfirmDueRewardsAsync(services.Time.GetUtcNow());
        return NextReferralWakeUp(services.Time.GetUtcNow());
    }

    private async Task<ReferralOutcome> CreditAsync(ReferralHandoff handoff, LedgerEntry? existing, DateTimeOffset now)
    {
        if (existing is not null) return ReferralOutcome.Duplicate;
        if (Referral.Refused.Contains(handoff.Key)) return ReferralOutcome.Capped;

        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var thisMonth = Referral.Ledger.Count(l => l.CreatedAt >= monthStart && l.Status != RewardStatus.Reversed);
        if (thisMonth >= handoff.MaxRewardsPerMonth)
        {
            AddBounded(Referral.Refused, handoff.Key, ReferralLimits.Refused);
            await WriteOrReloadAsync();
            ReferralCounters.Add(ReferralCounter.Capped);
            LogInformationRewardCapped(ShopperId);
            return ReferralOutcome.Capped;
        }

        var confirmAt = now.AddDays(handoff.ConfirmAfterDays);
        var pending = handoff.ConfirmAfterDays > 0;
        if (pending && !(NextReferralWakeUp(now) <= confirmAt)) await WakeUp.ScheduleAsync(confirmAt);
        var entry = new LedgerEntry
        {
            Id = Codes.NewId("rw-"),
            Key = handoff.Key,
            Amount = handoff.Amount,
            Currency = handoff.Currency,
            Status = pending ? RewardStatus.Pending : RewardStatus.Confirmed,
            CreatedAt = now,
            ConfirmAt = confirmAt,
        };
        AddToLedger(entry);
        State.Referrals++;
        var push = RewardPush(entry, now);
        AddToOutbox(push);
        await WriteOrReloadAsync();
        ReferralCounters.Add(pending ? ReferralCounter.RewardsPending : ReferralCounter.RewardsConfirmed);
        LogInformationRewardCredited(ShopperId, entry.Id, entry.Status);
        await PushToObserversAsync(push);
        return ReferralOutcome.Applied;
    }

    private async Task<ReferralOutcome> ReverseAsync(ReferralHandoff handoff, LedgerEntry? entry)
    {
        if (entry is null) return ReferralOutcome.NothingToReverse; // refused by the cap: nothing was granted
        if (entry.Status == RewardStatus.Reversed) return ReferralOutcome.Duplicate;
        var was = entry.Status;
        entry.Status = RewardStatus.Reversed;
        State.Referrals = Math.Max(0, State.Referrals - 1);
        State.Outbox.RemoveAll(n => n.Id.StartsWith(entry.Id, StringComparison.Ordinal));
        await WriteOrReloadAsync();
        ReferralCounters.Add(was == RewardStatus.Pending ? ReferralCounter.RewardsPending : ReferralCounter.RewardsConfirmed, -1);
        ReferralCounters.Add(ReferralCounter.RewardsReversed);
        LogInformationRewardReversed(ShopperId, entry.Id);
        return ReferralOutcome.Reversed;
    }

    private async Task ConfirmDueRewardsAsync(DateTimeOffset now)
    {
        var due = Referral.Ledger.FindAll(l => l.Status == RewardStatus.Pending && l.ConfirmAt <= now);
        if (due.Count == 0) return;
        var pushes = new List<Nudge>(due.Count);
        foreach (var entry in due)
        {
            entry.Status = RewardStatus.Confirmed;
            var push = RewardPush(entry, now);
            AddToOutbox(push);
            pushes.Add(push);
        }
        await WriteOrReloadAsync();
        ReferralCounters.Add(ReferralCounter.RewardsPending, -due.Count);
        ReferralCounters.Add(ReferralCounter.RewardsConfirmed, due.Count);
        foreach (var push in pushes) await PushToObserversAsync(push);
    }

    /// <summary>When the reminder must next wake this shopper: soon while hand-offs wait, else at the next confirmation.</summary>
    private DateTimeOffset? NextReferralWakeUp(DateTimeOffset now)
    {
        if (Referral.Outbox.Count > 0) return now + ReferralWakeUpGrain.RetryPeriod;
        DateTimeOffset? next = null;
        foreach (var entry in Referral.Ledger)
            if (entry.Status == RewardStatus.Pending && (next is null || entry.ConfirmAt < next)) next = entry.ConfirmAt;
        return next;
    }

    /// <summary>The push's id starts with the ledger entry's, so a reversal can withdraw it; the friend's order id is never in it.</summary>
    private static Nudge RewardPush(LedgerEntry entry, DateTimeOffset now) => new()
    {
        Id = $"{entry.Id}-{entry.Status}",
        TriggerId = ReferralLimits.FriendOfferTriggerId,
        Kind = NudgeKinds.Reward,
        Title = entry.Status == RewardStatus.Confirmed ? "Your referral reward is confirmed" : "You earned a referral reward",
        Message = "A friend you invited placed their first order.",
        CreatedAt = now,
        ExpiresAt = now.AddDays(ReferralLimits.FriendOfferTtlDays),
        Amount = entry.Amount,
        Currency = entry.Currency,
        Status = entry.Status,
    };

    private void AddToOutbox(Nudge push)
    {
        State.Outbox.Add(push);
        if (State.Outbox.Count > ShopperLimits.Outbox) State.Outbox.RemoveAt(0);
    }

    /// <summary>A full ledger forgets its oldest settled entry, never a pending one (it still has to be confirmed).</summary>
    private void AddToLedger(LedgerEntry entry)
    {
        Referral.Ledger.Add(entry);
        if (Referral.Ledger.Count <= ReferralLimits.Ledger) return;
        var settled = Referral.Ledger.FindIndex(l => l.Status != RewardStatus.Pending);
        Referral.Ledger.RemoveAt(settled >= 0 ? settled : 0);
    }

    private static void AddBounded<T>(List<T> list, T item, int cap)
    {
        if (list.Count >= cap) list.RemoveAt(0);
        list.Add(item);
    }

    /// <summary>
    /// A ledger change the friend is told about must be stored. If the write fails the friend retries,
    /// so memory must not stay ahead of storage (it would answer "duplicate" for an unstored reward).
    /// </summary>
    private async Task WriteOrReloadAsync()
    {
        try
        {
            await WriteAsync();
        }
        catch
        {
            await store.ReadStateAsync();
            _model = new ShopperModel(ShopperId, State, services.Options, services.Stats);
            throw;
        }
    }

    private IReadOnlyList<RewardEntry> RewardsView()
    {
        var rewards = new List<RewardEntry>(Referral.Ledger.Count);
        for (var i = Referral.Ledger.Count - 1; i >= 0; i--)
        {
            var l = Referral.Ledger[i];
            rewards.Add(new RewardEntry { Id = l.Id, Amount = l.Amount, Currency = l.Currency, Status = l.Status, CreatedAt = l.CreatedAt });
        }
        return rewards;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Referrer {ShopperId} credited reward {RewardId} ({Status})")]
    private partial void LogInformationRewardCredited(string shopperId, string rewardId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referrer {ShopperId} reached the monthly reward cap; reward refused")]
    private partial void LogInformationRewardCapped(string shopperId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referrer {ShopperId} reward {RewardId} reversed (refund)")]
    private partial void LogInformationRewardReversed(string shopperId, string rewardId);
}
