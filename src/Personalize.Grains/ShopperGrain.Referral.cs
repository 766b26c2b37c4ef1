using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// The shopper as a friend: their own code and link, attribution on <c>referral_landing</c>, the
/// qualifying purchase and its refund. Each becomes a hand-off in <see cref="ReferralState.Outbox"/>,
/// written with the order in the same state write, and delivered to the referrer until acknowledged.
/// </summary>
public sealed partial class ShopperGrain : IShopperReferralGrain
{
    private IGrainTimer? _handoffRetryTimer;

    /// <summary>While active, un-acknowledged hand-offs are retried this often; the reminder covers deactivation.</summary>
    public static readonly TimeSpan HandoffRetryInterval = TimeSpan.FromSeconds(10);

    // Held by ShopperServices, resolved there on first use: the referral programme adds no field to the grain.
    private ReferralProgramCache ReferralPrograms => services.ReferralPrograms;
    private ReferralStatsCollector ReferralCounters => services.ReferralCounters;
    private ReferralHandoffFaults ReferralFaults => services.ReferralFaults;
    private ReferralState Referral => State.Referral;
    private IReferralWakeUpGrain WakeUp => GrainFactory.GetGrain<IReferralWakeUpGrain>(ShopperId);

    public async Task<ReferralLink> GetReferralLinkAsync()
    {
        var program = await ReferralPrograms.GetAsync();
        var (code, claimed) = await EnsureReferralCodeAsync();
        if (claimed) await WriteAsync();
        return new ReferralLink(code, program.ShareUrl(code));
    }

    /// <summary>
    /// Claims a fresh random code in its own grain, retrying on collision. A crash after the claim and
    /// before the shopper's write leaves an orphan code that still points at this shopper: harmless.
    /// </summary>
    private async Task<(string Code, bool Claimed)> EnsureReferralCodeAsync()
    {
        if (State.ReferralCode is { } existing) return (existing, false);
        for (var attempt = 0; attempt < ReferralLimits.CodeAttempts; attempt++)
        {
            var code = Codes.New(ReferralLimits.CodeLength);
            if (await GrainFactory.GetGrain<IReferralCodeGrain>(code).ClaimAsync(ShopperId))
            {
                State.ReferralCode = code;
                return (code, true);
            }
            LogInformationCodeCollision(ShopperId);
        }
        throw new InvalidOperationException($"no free referral code after {ReferralLimits.CodeAttempts} attempts");
    }

    /// <summary>
    /// The referral part of an event, before it is applied (so a purchase still sees whether its order
    /// is new). Answers whether it must be stored before answering, and a push to send after the write.
    /// </summary>
    private async Task<(bool Durable, Nudge? Push)> TrackReferralAsync(ShopperEvent e, DateTimeOffset now)
    {
        var program = await ReferralPrograms.GetAsync();
        _model.ReferralProgram = program;
        // A referralPrompt trigger carries the shopper's code, so claim it before judging.
        var claimed = State.ReferralCode is null && !State.ConsentWithdrawn && await MayPromptAsync(e.Type)
            && (await EnsureReferralCodeAsync()).Claimed;
        // A landing's own device is the friend's, checked against the referrer's, not remembered as theirs.
        var fingerprinted = e.Type != EventTypes.ReferralLanding && RememberFingerprints(e);
        var (durable, push) = e.Type switch
        {
            EventTypes.ReferralLanding => await LandAsync(program, e, now),
            EventTypes.Purchase => (await QualifyAsync(program, e, now), null),
            EventTypes.Refund => (await ReverseQualifyingOrderAsync(e.OrderId!, now), null),
            EventTypes.Share => (CountShare(), null),
            _ => (false, (Nudge?)null),
        };
        return (durable || claimed || fingerprinted, push);
    }

    private async Task<bool> MayPromptAsync(string eventType)
    {
        foreach (var trigger in (await services.Catalogs.GetAsync()).ForEvent(eventType))
            if (trigger.Definition.Action.Type == "referralPrompt") return true;
        return false;
    }

    private async Task<(bool, Nudge?)> LandAsync(ReferralProgram program, ShopperEvent e, DateTimeOffset now)
    {
        if (!program.Enabled) return (false, null);
        ReferralCounters.Add(ReferralCounter.Landings);
        if (!TryAdmitLanding(now)) return Reject(ReferralCounter.RateLimited, "rateLimited");
        var code = e.ReferralCode!.Trim().ToUpperInvariant();
        var landing = code == State.ReferralCode ? new CodeLanding(ShopperId, WithinLimit: true)
            : IsWellFormedCode(code) ? await GrainFactory.GetGrain<IReferralCodeGrain>(code).LandAsync(AbuseLimits.MaxLandingsPerCodePerHour)
            : new CodeLanding(null, WithinLimit: true);
        if (landing.Owner is not { } owner)
        {
            RememberUnknownCode(now);
            return Reject(ReferralCounter.InvalidCode, "invalidCode");
        }
        if (owner == ShopperId) return Reject(ReferralCounter.SelfReferral, "selfReferral");
        if (!landing.WithinLimit) return Reject(ReferralCounter.RateLimited, "rateLimited (code)");
        // First touch wins, and only a shopper who has never ordered is a new customer.
        if (State.ReferredBy is not null || State.Orders > 0) return (false, null);
        if (await SharesReferrerFingerprintAsync(owner, e)) return Reject(ReferralCounter.SelfReferral, "selfReferral (device or network)");

        State.ReferredBy = owner;
        Referral.AttributedAt = now;
        ReferralCounters.Add(ReferralCounter.Attributed);
        if (State.ConsentWithdrawn) return (true, null);
        var offer = new Nudge
        {
            Id = Codes.NewId("n-"),
            TriggerId = ReferralLimits.FriendOfferTriggerId,
            Kind = NudgeKinds.Offer,
            Title = "A welcome gift from your friend",
            Message = "Your friend invited you: this is for your first order.",
            CreatedAt = now,
            ExpiresAt = now.AddDays(ReferralLimits.FriendOfferTtlDays),
            Discount = program.FriendReward,
            Code = FriendOfferCode(),
        };
        State.Outbox.Add(offer);
        if (State.Outbox.Count > ShopperLimits.Outbox) State.Outbox.RemoveAt(0);
        return (true, offer);
    }

    private (bool, Nudge?) Reject(ReferralCounter counter, string reason)
    {
        ReferralCounters.Add(counter);
        LogInformationLandingRejected(ShopperId, reason);
        return (false, null);
    }

    private string FriendOfferCode()
    {
        if (!State.IssuedCodes.TryGetValue(ReferralLimits.FriendOfferTriggerId, out var code))
            State.IssuedCodes[ReferralLimits.FriendOfferTriggerId] = code = "FRIEND-" + Codes.New(8);
        return code;
    }

    private static bool IsWellFormedCode(string code) =>
        code.Length is >= 8 and <= 32 && code.All(c => Codes.Alphabet.Contains(c));

    /// <summary>The friend's first purchase of at least the minimum inside the window earns the referrer one reward.</summary>
    private async Task<bool> QualifyAsync(ReferralProgram program, ShopperEvent e, DateTimeOffset now)
    {
        if (State.ReferredBy is not { } referrer || Referral.QualifiedOrderId is not null || State.OrderIds.Contains(e.OrderId!))
            return false;
        if (!program.Enabled || e.OrderTotal < program.MinOrderTotal) return false;
        if (Referral.AttributedAt is not { } at || now - at > TimeSpan.FromDays(program.AttributionWindowDays)) return false;

        await EnqueueHandoffAsync(new ReferralHandoff
        {
            Kind = ReferralHandoffKind.Credit,
            ReferrerId = referrer,
            FriendId = ShopperId,
            OrderId = e.OrderId!,
            Amount = program.ReferrerReward.Value,
            Currency = program.ReferrerReward.Currency,
            At = now,
            ConfirmAfterDays = program.ConfirmAfterDays,
            MaxRewardsPerMonth = program.MaxRewardsPerReferrerPerMonth,
        }, now);
        Referral.QualifiedOrderId = e.OrderId;
        ReferralCounters.Add(ReferralCounter.Qualified);
        return true;
    }

    private async Task<bool> ReverseQualifyingOrderAsync(string orderId, DateTimeOffset now)
    {
        if (State.ReferredBy is not { } referrer || Referral.QualifiedOrderId != orderId || Referral.QualifiedOrderRefunded)
            return false;
        await EnqueueHandoffAsync(new ReferralHandoff
        {
            Kind = ReferralHandoffKind.Reversal, ReferrerId = referrer, FriendId = ShopperId, OrderId = orderId, At = now,
        }, now);
        Referral.QualifiedOrderRefunded = true;
        return true;
    }

    private bool CountShare()
    {
        ReferralCounters.Add(ReferralCounter.Shares);
        if (Referral.HasShared) return false;
        Referral.HasShared = true;
        ReferralCounters.Add(ReferralCounter.Referrers);
        return true;
    }

    /// <summary>
    /// The reminder is registered before the hand-off is stored, so a crash right after the write
    /// still wakes this grain to deliver it even if the friend never returns.
    /// </summary>
    private async Task EnqueueHandoffAsync(ReferralHandoff handoff, DateTimeOffset now)
    {
        await WakeUp.ScheduleAsync(now + ReferralWakeUpGrain.RetryPeriod);
        Referral.Outbox.Add(handoff);
    }

    /// <summary>
    /// Delivers stored hand-offs in order, removing each only after the referrer acknowledged it. Stops at
    /// the first failure (order matters: a reversal must follow its credit) and leaves the rest for the
    /// retry timer, the reminder or the next activation.
    /// </summary>
    private async Task DeliverReferralHandoffsAsync()
    {
        if (!State.HasPendingReferralHandoffs) return;
        var acknowledged = 0;
        try
        {
            while (Referral.Outbox.Count > 0)
            {
                var handoff = Referral.Outbox[0];
                ReferralFaults.Check(ReferralHandoffStage.BeforeReferrerApplies);
                var outcome = await GrainFactory.GetGrain<IShopperReferralGrain>(handoff.ReferrerId).ApplyReferralAsync(handoff);
                ReferralFaults.Check(ReferralHandoffStage.AfterReferrerApplied);
                Referral.Outbox.RemoveAt(0);
                acknowledged++;
                LogDebugHandoffAcknowledged(ShopperId, handoff.Kind, outcome);
            }
        }
        catch (Exception ex)
        {
            LogWarningHandoffFailed(ex, ShopperId, Referral.Outbox.Count);
            StartHandoffRetryTimer();
        }
        if (acknowledged == 0) return;
        try
        {
            await WriteAsync();
            if (Referral.Outbox.Count == 0) await WakeUp.ScheduleAsync(NextReferralWakeUp(services.Time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            // Only the removal is unstored: a later retry is answered "duplicate" by the referrer.
            _dirty = true;
            LogWarningHandoffFailed(ex, ShopperId, Referral.Outbox.Count);
        }
    }

    private void StartHandoffRetryTimer() =>
        _handoffRetryTimer ??= this.RegisterGrainTimer(static async (grain, _) =>
        {
            await grain.DeliverReferralHandoffsAsync();
            if (grain.Referral.Outbox.Count == 0 && grain._handoffRetryTimer is { } timer)
            {
                timer.Dispose();
                grain._handoffRetryTimer = null;
            }
        }, this, new GrainTimerCreationOptions(HandoffRetryInterval, HandoffRetryInterval) { KeepAlive = false });

    private Nudge CountReferralPrompt(Nudge nudge)
    {
        if (nudge.Kind == NudgeKinds.ReferralPrompt) ReferralCounters.Add(ReferralCounter.Prompts);
        return nudge;
    }

    /// <summary>On activation: whatever a crash left un-acknowledged is delivered now.</summary>
    private Task ResumeReferralHandoffsAsync() => DeliverReferralHandoffsAsync();

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral code collision for {ShopperId}; drawing another")]
    private partial void LogInformationCodeCollision(string shopperId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral landing of {ShopperId} rejected: {Reason}")]
    private partial void LogInformationLandingRejected(string shopperId, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Referral hand-off of {ShopperId} acknowledged: {Kind} → {Outcome}")]
    private partial void LogDebugHandoffAcknowledged(string shopperId, ReferralHandoffKind kind, ReferralOutcome outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Referral hand-off of {ShopperId} not acknowledged yet ({Pending} pending); it will be retried")]
    private partial void LogWarningHandoffFailed(Exception ex, string shopperId, int pending);
}
