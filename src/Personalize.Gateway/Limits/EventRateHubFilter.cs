using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Personalize.Hosting;

namespace Personalize.Gateway.Limits;

/// <summary>
/// Per-connection rate limit on hub calls. A call over the limit fails with a readable
/// <see cref="HubException"/> before it reaches any grain; the connection stays open and usable, and
/// since each connection has its own bucket, other shoppers never notice.
/// </summary>
public sealed class EventRateHubFilter(IOptions<LimitsOptions> options, TimeProvider time, PersonalizeMetrics metrics) : IHubFilter
{
    private const string BucketKey = "personalize.rateBucket";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var limits = options.Value;
        var items = invocationContext.Context.Items;
        TokenBucket bucket;
        lock (items)
        {
            if (items.TryGetValue(BucketKey, out var existing) && existing is TokenBucket found) bucket = found;
            else items[BucketKey] = bucket = new TokenBucket(limits.EventsPerSecondPerConnection, limits.EventBurstPerConnection, time);
        }
        if (!bucket.TryTake())
        {
            if (invocationContext.HubMethodName == "Track") metrics.EventsRejected.Add(1);
            throw new HubException(
                $"Too many calls on this connection: at most {limits.EventsPerSecondPerConnection} per second " +
                $"(bursts of {limits.EventBurstPerConnection}). '{invocationContext.HubMethodName}' was not processed; retry shortly.");
        }
        return await next(invocationContext);
    }
}
