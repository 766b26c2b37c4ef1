namespace Personalize;

/// <summary>
/// One grain per referral code, keyed by the code. Claiming happens inside the grain (one turn at a
/// time), so two shoppers racing for the same random code cannot both win, on any silo.
/// </summary>
[Alias("Personalize.IReferralCodeGrain")]
public interface IReferralCodeGrain : IGrainWithStringKey
{
    /// <summary>True when the code now belongs to <paramref name="shopperId"/> (newly, or already).</summary>
    [Alias("Claim")]
    Task<bool> ClaimAsync(string shopperId);

    /// <summary>The shopper who owns the code, or null when nobody claimed it.</summary>
    [Alias("GetOwner")]
    Task<string?> GetOwnerAsync();
}
