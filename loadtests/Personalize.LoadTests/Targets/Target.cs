namespace Personalize.LoadTests.Targets;

/// <summary>Where a scenario sends its load, and the keys it needs there.</summary>
public sealed record Target(string Kind, Uri BaseUrl, string StorefrontKey, string? MarketerKey)
{
    public const string EchoKind = "echo";
    public const string GatewayKind = "gateway";

    public bool IsEcho => Kind == EchoKind;
}
