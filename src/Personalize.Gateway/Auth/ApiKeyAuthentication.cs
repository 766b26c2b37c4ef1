using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Personalize.Gateway.Auth;

public sealed class ApiKeyOptions : AuthenticationSchemeOptions
{
    /// <summary>SHA-256 of each accepted key, so comparisons take the same time whatever the input.</summary>
    [Secret] public IReadOnlyList<byte[]> KeyHashes { get; set; } = [];
}

/// <summary>
/// <c>X-Api-Key</c> authentication. Marketer and storefront keys are two schemes, so a storefront key
/// on a marketer route fails authentication (401) exactly like a wrong key.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<ApiKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<ApiKeyOptions>(options, logger, encoder)
{
    public const string HeaderName = "X-Api-Key";
    public const string Marketer = "MarketerKey";
    public const string Storefront = "StorefrontKey";

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
            return Task.FromResult(AuthenticateResult.NoResult());

        var presented = Hash(values[0]!);
        var match = false;
        foreach (var known in Options.KeyHashes)
            match |= CryptographicOperations.FixedTimeEquals(presented, known);
        if (!match) return Task.FromResult(AuthenticateResult.Fail("invalid API key"));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, Scheme.Name)], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // A policy that accepts either key challenges with both schemes: the first answer stands.
        if (Response.HasStarted) return Task.CompletedTask;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Unauthorized",
            $"A valid {(Scheme.Name == Marketer ? "marketer" : "storefront")} key is required in the {HeaderName} header.");
    }
}
