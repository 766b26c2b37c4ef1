namespace Personalize.Grains;

/// <summary>Where in the friend → referrer hand-off a fault can be injected.</summary>
public enum ReferralHandoffStage
{
    /// <summary>The friend's hand-off is stored; the referrer has not been called.</summary>
    BeforeReferrerApplies,
    /// <summary>The referrer applied and stored the reward; the friend has not seen the acknowledgement.</summary>
    AfterReferrerApplied,
}

/// <summary>
/// A silo singleton the shopper grain consults at each hand-off stage. Production never arms it; tests
/// arm it to fail a hand-off midway exactly once and prove that recovery neither loses nor doubles.
/// </summary>
public sealed class ReferralHandoffFaults
{
    private int _armedBefore;
    private int _armedAfter;

    public void FailOnce(ReferralHandoffStage stage)
    {
        if (stage == ReferralHandoffStage.BeforeReferrerApplies) Volatile.Write(ref _armedBefore, 1);
        else Volatile.Write(ref _armedAfter, 1);
    }

    internal void Check(ReferralHandoffStage stage)
    {
        ref var armed = ref stage == ReferralHandoffStage.BeforeReferrerApplies ? ref _armedBefore : ref _armedAfter;
        if (Interlocked.Exchange(ref armed, 0) == 1) throw new ReferralHandoffFaultException(stage);
    }
}

public sealed class ReferralHandoffFaultException(ReferralHandoffStage stage)
    : Exception($"Injected referral hand-off fault at {stage}")
{
    public ReferralHandoffStage Stage { get; } = stage;
}
