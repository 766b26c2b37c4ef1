using System.Security.Cryptography;

namespace Personalize.Grains;

/// <summary>Random codes a person can read aloud: no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes.</summary>
public static class Codes
{
    public const string Alphabet = "ACDEFGHJKMNPQRTUVWXY34679";

    public static string New(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    public static string NewId(string prefix) => prefix + RandomNumberGenerator.GetHexString(16, lowercase: true);
}
