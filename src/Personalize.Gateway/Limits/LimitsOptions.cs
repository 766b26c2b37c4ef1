namespace Personalize.Gateway.Limits;

/// <summary>
/// <c>Personalize:Limits</c>: how fast one hub connection and one API key may call. Sized so a real
/// storefront never meets them and a runaway script or a leaked key cannot starve everyone else.
/// </summary>
public sealed class LimitsOptions
{
    public const string Section = "Personalize:Limits";

    /// <summary>Hub calls (Track, GetState, GetReferralLink) one connection may make per second, sustained.</summary>
    public int EventsPerSecondPerConnection { get; set; } = 50;

    /// <summary>Hub calls one connection may make at once after a quiet spell (the bucket's size).</summary>
    public int EventBurstPerConnection { get; set; } = 100;

    /// <summary><c>/api</c> requests per second for one valid API key, sustained.</summary>
    public int RequestsPerSecondPerKey { get; set; } = 1000;

    public int RequestBurstPerKey { get; set; } = 2000;

    /// <summary>
    /// <c>/api</c> requests per second from one remote address without a valid key (no key, a wrong key,
    /// a shopper token): a key guesser is slowed down however many different keys it tries.
    /// </summary>
    public int AnonymousRequestsPerSecondPerAddress { get; set; } = 20;

    public int AnonymousRequestBurstPerAddress { get; set; } = 40;

    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new (string, int)[]
        {
            (nameof(EventsPerSecondPerConnection), EventsPerSecondPerConnection), (nameof(EventBurstPerConnection), EventBurstPerConnection),
            (nameof(RequestsPerSecondPerKey), RequestsPerSecondPerKey), (nameof(RequestBurstPerKey), RequestBurstPerKey),
            (nameof(AnonymousRequestsPerSecondPerAddress), AnonymousRequestsPerSecondPerAddress),
            (nameof(AnonymousRequestBurstPerAddress), AnonymousRequestBurstPerAddress),
        })
        {
            if (value < 1) yield return $"{Section}:{name} must be at least 1";
        }
    }
}
