namespace Personalize.Gateway.Limits;

/// <summary>
/// A token bucket refilled continuously from the injected clock: <c>burst</c> calls at once, then
/// <c>perSecond</c> on average. Thread-safe, because nothing forces a caller to await its previous call.
/// </summary>
public sealed class TokenBucket(double perSecond, int burst, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _refilledAt = time.GetTimestamp();

    public bool TryTake()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_refilledAt, now).TotalSeconds * perSecond);
            _refilledAt = now;
            if (_tokens < 1) return false;
            _tokens -= 1;
            return true;
        }
    }
}
