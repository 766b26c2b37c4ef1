using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Personalize.Gateway.Auth;

/// <summary>Mints and describes the HS256 shopper tokens (claims <c>sub</c>, <c>exp</c>).</summary>
public sealed class ShopperTokens(AuthSettings settings, TimeProvider time)
{
    public const string SubjectClaim = "sub";
    private readonly SymmetricSecurityKey _key = SigningKey(settings);
    private readonly JsonWebTokenHandler _handler = new();

    public static SymmetricSecurityKey SigningKey(AuthSettings settings) =>
        new(Encoding.UTF8.GetBytes(settings.ShopperTokenSigningKey));

    public static TokenValidationParameters ValidationParameters(AuthSettings settings) => new()
    {
        ValidateIssuer = false,
        ValidateAudience = false,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        ValidateIssuerSigningKey = true,
        IssuerSigningKey = SigningKey(settings),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ClockSkew = TimeSpan.FromSeconds(30),
        NameClaimType = SubjectClaim,
    };

    /// <summary>
    /// A hub connection keeps its user and authentication result for as long as it is open; everything
    /// the gateway reads of a shopper token is <c>sub</c>. The validated principal is replaced by one
    /// holding that claim alone, instead of the parsed token with all its claims (about 2 KB per idle
    /// connection, issue 6), and the result's properties by empty ones: the handler fills in issued and
    /// expiry times as text, which only SignalR's <c>CloseOnAuthenticationExpiration</c> would read (off:
    /// the token is checked when the connection opens) and which cost ~500 bytes more.
    /// </summary>
    public static Task KeepSubjectOnly(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Principal?.FindFirst(SubjectClaim) is { } subject)
        {
            var identity = new ClaimsIdentity([new Claim(SubjectClaim, subject.Value)], context.Scheme.Name, SubjectClaim, roleType: null);
            context.Principal = new ClaimsPrincipal(identity);
        }
        context.Properties = new AuthenticationProperties();
        return Task.CompletedTask;
    }

    public (string Token, DateTimeOffset ExpiresAt) Mint(string shopperId, int ttlSeconds)
    {
        var now = time.GetUtcNow();
        var expires = now.AddSeconds(ttlSeconds);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim(SubjectClaim, shopperId)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}
