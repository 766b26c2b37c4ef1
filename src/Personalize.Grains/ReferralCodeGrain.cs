using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.ReferralCodeState")]
public sealed class ReferralCodeState
{
    [Id(0)] public string? Owner { get; set; }
    [Id(1)] public DateTimeOffset? ClaimedAt { get; set; }
}

/// <summary>
/// A referral code's owner. The claim is decided and stored inside this grain's single turn, so a
/// code is never handed to two shoppers, whichever silos their grains run on.
/// </summary>
public sealed class ReferralCodeGrain(
    [PersistentState("referralCode", GrainStorage.Default)] IPersistentState<ReferralCodeState> code,
    [FromKeyedServices(ProductClock.Key)] TimeProvider time) : Grain, IReferralCodeGrain
{
    public async Task<bool> ClaimAsync(string shopperId)
    {
        ArgumentException.ThrowIfNullOrEmpty(shopperId);
        if (code.State.Owner is { } owner) return owner == shopperId;
        code.State.Owner = shopperId;
        code.State.ClaimedAt = time.GetUtcNow();
        try
        {
            await code.WriteStateAsync();
        }
        catch
        {
            // Not stored means not claimed: the caller retries with this or another code.
            code.State.Owner = null;
            code.State.ClaimedAt = null;
            throw;
        }
        return true;
    }

    // In memory only: a velocity window need not survive deactivation, which comes after idle minutes.
    private readonly Queue<DateTimeOffset> _landings = new();

    public Task<CodeLanding> LandAsync(int maxPerHour)
    {
        if (code.State.Owner is null)
        {
            DeactivateOnIdle();
            return Task.FromResult(new CodeLanding(null, WithinLimit: true));
        }
        var now = time.GetUtcNow();
        while (_landings.TryPeek(out var oldest) && now - oldest >= TimeSpan.FromHours(1)) _landings.Dequeue();
        if (_landings.Count >= maxPerHour) return Task.FromResult(new CodeLanding(code.State.Owner, WithinLimit: false));
        _landings.Enqueue(now);
        return Task.FromResult(new CodeLanding(code.State.Owner, WithinLimit: true));
    }

    public Task<string?> GetOwnerAsync()
    {
        // Unknown codes (typos, guesses) must not stay in memory.
        if (code.State.Owner is null) DeactivateOnIdle();
        return Task.FromResult(code.State.Owner);
    }
}
