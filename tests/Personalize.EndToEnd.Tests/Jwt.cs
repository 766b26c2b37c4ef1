using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Personalize.EndToEnd.Tests;

/// <summary>Hand-made JWTs, as a storefront backend would mint them (and as an attacker would forge them).</summary>
public static class Jwt
{
    public static string Sign(object claims, string key)
    {
        var unsigned = Encode(new { alg = "HS256", typ = "JWT" }) + "." + Encode(claims);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(unsigned));
        return unsigned + "." + Base64Url(signature);
    }

    public static string Unsigned(object claims) => Encode(new { alg = "none", typ = "JWT" }) + "." + Encode(claims) + ".";

    private static string Encode(object value) => Base64Url(JsonSerializer.SerializeToUtf8Bytes(value));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
