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

    /// <summary>
    /// A friend landed on this code: answers its owner, and whether the code is still under
    /// <paramref name="maxPerHour"/> landings in the last hour (a code sprayed by a bot stops attributing).
    /// </summary>
    [Alias("Land")]
    Task<CodeLanding> LandAsync(int maxPerHour);
}

[GenerateSerializer, Alias("Personalize.CodeLanding")]
public readonly record struct CodeLanding(
    [property: Id(0)] string? Owner,
    [property: Id(1)] bool WithinLimit);
