using System.Security.Cryptography;
using System.Text;

namespace Personalize.Gateway.Auth;

/// <summary><c>Personalize:Auth</c>: the marketer and storefront keys and the shopper-token signing key.</summary>
public sealed class AuthSettings
{
    public const string Section = "Personalize:Auth";
    public const int MinSigningKeyBytes = 32;

    [Secret] public string[] MarketerApiKeys { get; set; } = [];
    [Secret] public string[] StorefrontApiKeys { get; set; } = [];
    [Secret] public string ShopperTokenSigningKey { get; set; } = "";

    /// <summary>Counts only: an accidental <c>{Settings}</c> in a log line must not print a key.</summary>
    public override string ToString() =>
        $"AuthSettings {{ MarketerApiKeys = {MarketerApiKeys.Length} key(s), StorefrontApiKeys = {StorefrontApiKeys.Length} key(s), ShopperTokenSigningKey = [redacted] }}";

    public IEnumerable<string> Problems()
    {
        if (MarketerApiKeys.Length == 0 || MarketerApiKeys.Any(string.IsNullOrWhiteSpace))
            yield return $"{Section}:MarketerApiKeys needs at least one non-empty key";
        if (StorefrontApiKeys.Length == 0 || StorefrontApiKeys.Any(string.IsNullOrWhiteSpace))
            yield return $"{Section}:StorefrontApiKeys needs at least one non-empty key";
        if (Encoding.UTF8.GetByteCount(ShopperTokenSigningKey) < MinSigningKeyBytes)
            yield return $"{Section}:ShopperTokenSigningKey must be at least {MinSigningKeyBytes} bytes";
        if (MarketerApiKeys.Intersect(StorefrontApiKeys).Any())
            yield return $"{Section}: a key may not be both a marketer and a storefront key";
    }

    /// <summary>
    /// In Development, missing keys are generated and printed once so <c>dotnet run</c> just works;
    /// anywhere else a missing key stops start-up rather than leaving a door open.
    /// </summary>
    public static AuthSettings Resolve(IConfigurationManager configuration, IHostEnvironment environment)
    {
        var settings = configuration.GetSection(Section).Get<AuthSettings>() ?? new AuthSettings();
        if (environment.IsDevelopment())
        {
            var generated = new Dictionary<string, string?>();
            if (settings.MarketerApiKeys.Length == 0)
                generated[$"{Section}:MarketerApiKeys:0"] = "mk_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
            if (settings.StorefrontApiKeys.Length == 0)
                generated[$"{Section}:StorefrontApiKeys:0"] = "sk_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
            if (string.IsNullOrEmpty(settings.ShopperTokenSigningKey))
                generated[$"{Section}:ShopperTokenSigningKey"] = RandomNumberGenerator.GetHexString(64, lowercase: true);
            if (generated.Count > 0)
            {
                configuration.AddInMemoryCollection(generated);
                settings = configuration.GetSection(Section).Get<AuthSettings>()!;
                Console.WriteLine("Personalize (Development): no keys were configured, so these were generated for this run:");
                Console.WriteLine($"  marketer key   (X-Api-Key for /api/triggers, /console): {settings.MarketerApiKeys[0]}");
                Console.WriteLine($"  storefront key (X-Api-Key for /api/shopper-tokens, /api/events): {settings.StorefrontApiKeys[0]}");
            }
        }

        var problems = settings.Problems().ToList();
        if (problems.Count > 0)
            throw new InvalidOperationException("Personalize cannot start: " + string.Join("; ", problems));
        return settings;
    }
}
