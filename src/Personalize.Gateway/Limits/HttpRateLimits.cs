using System.Globalization;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Personalize.Gateway.Auth;

namespace Personalize.Gateway.Limits;

/// <summary>
/// Chooses the rate-limit partition of an <c>/api</c> request: a valid API key gets its own bucket
/// (named by the key's hash, never the key), anything else shares one bucket per remote address, so
/// trying many wrong keys does not buy many buckets. Pages, the hub and health checks are not limited here.
/// </summary>
public sealed class HttpRateLimits(AuthSettings auth, IOptions<LimitsOptions> options)
{
    private readonly byte[][] _keyHashes =
        [.. auth.MarketerApiKeys.Concat(auth.StorefrontApiKeys).Select(ApiKeyAuthenticationHandler.Hash)];

    public static bool IsLimited(PathString path) => path.StartsWithSegments("/api");

    public RateLimitPartition<string> Partition(HttpContext context)
    {
        if (!IsLimited(context.Request.Path)) return RateLimitPartition.GetNoLimiter("unlimited");
        var limits = options.Value;
        if (KnownKeyHash(context) is { } hash)
            return RateLimitPartition.GetTokenBucketLimiter("key:" + hash, _ => Bucket(limits.RequestsPerSecondPerKey, limits.RequestBurstPerKey));
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetTokenBucketLimiter("ip:" + address,
            _ => Bucket(limits.AnonymousRequestsPerSecondPerAddress, limits.AnonymousRequestBurstPerAddress));
    }

    private string? KnownKeyHash(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(ApiKeyAuthenticationHandler.HeaderName, out var values)
            || values.Count != 1 || string.IsNullOrEmpty(values[0]))
            return null;
        var presented = ApiKeyAuthenticationHandler.Hash(values[0]!);
        var match = false;
        foreach (var known in _keyHashes) match |= CryptographicOperations.FixedTimeEquals(presented, known);
        return match ? Convert.ToHexString(presented) : null;
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>429 as problem+json with <c>Retry-After</c> in whole seconds (at least one).</summary>
    public static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var response = rejected.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
            $"This key (or, without a valid key, this address) sent requests faster than allowed; retry after {seconds} s.");
    }
}
