using System.Security.Cryptography;
using System.Text;

namespace Personalize.Grains;

/// <summary>
/// Referral abuse rules of the shopper grain: landing velocity per shopper, unknown-code attempts, and
/// the referrer's own devices and networks treated as self-referral.
/// </summary>
public sealed partial class ShopperGrain
{
    // Velocity windows live in memory: they matter for an hour, and an activation idles out well after
    // the traffic that would fill them stops, so persisting them would cost a write per landing for nothing.
    // Made on the first landing: most shoppers never land through a referral link.
    private Queue<DateTimeOffset>? _landingTimes;
    private Queue<DateTimeOffset>? _unknownCodeTimes;

    private ReferralAbuseOptions AbuseLimits => services.AbuseLimits;

    public Task<ReferrerFingerprints> GetFingerprintsAsync() =>
        Task.FromResult(new ReferrerFingerprints([.. Referral.Devices], [.. Referral.Networks]));

    /// <summary>
    /// Admits a landing when this shopper is under both limits in the last hour. Once the unknown-code
    /// limit is reached nothing is looked up, so a guesser cannot tell a real code from a wrong one.
    /// </summary>
    private bool TryAdmitLanding(DateTimeOffset now)
    {
        _landingTimes ??= new Queue<DateTimeOffset>();
        _unknownCodeTimes ??= new Queue<DateTimeOffset>();
        Prune(_landingTimes, now);
        Prune(_unknownCodeTimes, now);
        if (_landingTimes.Count >= AbuseLimits.MaxLandingsPerShopperPerHour
            || _unknownCodeTimes.Count >= AbuseLimits.MaxUnknownCodesPerShopperPerHour)
            return false;
        _landingTimes.Enqueue(now);
        return true;
    }

    private void RememberUnknownCode(DateTimeOffset now) => (_unknownCodeTimes ??= new Queue<DateTimeOffset>()).Enqueue(now);

    private static void Prune(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.TryPeek(out var oldest) && now - oldest >= TimeSpan.FromHours(1)) times.Dequeue();
    }

    /// <summary>Keeps hashes of the device and network of this shopper's own events; true when one is new (store it).</summary>
    private bool RememberFingerprints(ShopperEvent e) =>
        (!string.IsNullOrEmpty(e.DeviceId) && Remember(Referral.Devices, e.DeviceId))
        | (!string.IsNullOrEmpty(e.Network) && Remember(Referral.Networks, e.Network));

    private static bool Remember(List<string> seen, string? value)
    {
        if (string.IsNullOrEmpty(value)) return false;
        var hash = Fingerprint(value);
        var index = seen.IndexOf(hash);
        if (index == seen.Count - 1 && index >= 0) return false;
        if (index >= 0) seen.RemoveAt(index);
        seen.Add(hash);
        if (seen.Count > ReferralLimits.Fingerprints) seen.RemoveAt(0);
        // Only a device or network not seen before needs storing; a reorder can wait for the next write.
        return index < 0;
    }

    /// <summary>A friend on the referrer's own device or network is the referrer with a second browser.</summary>
    private async Task<bool> SharesReferrerFingerprintAsync(string referrerId, ShopperEvent landing)
    {
        if (string.IsNullOrEmpty(landing.DeviceId) && string.IsNullOrEmpty(landing.Network)) return false;
        var referrer = await GrainFactory.GetGrain<IShopperReferralGrain>(referrerId).GetFingerprintsAsync();
        return (!string.IsNullOrEmpty(landing.DeviceId) && referrer.Devices.Contains(Fingerprint(landing.DeviceId)))
            || (!string.IsNullOrEmpty(landing.Network) && referrer.Networks.Contains(Fingerprint(landing.Network)));
    }

    /// <summary>Hex of a SHA-256 prefix: equal inputs match, and the raw device id or address is not kept.</summary>
    private static string Fingerprint(string value) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value.Trim().ToLowerInvariant())), 0, 12);
}
