namespace Personalize.Grains;

/// <summary>
/// Stable holdout assignment: FNV-1a over shopper id and trigger id, so the same shopper lands in the
/// same group on every silo and after every restart (string.GetHashCode is randomised per process).
/// </summary>
public static class Holdout
{
    public static bool IsHeldOut(string shopperId, string triggerId, double holdoutPercent)
    {
        if (holdoutPercent <= 0) return false;
        if (holdoutPercent >= 100) return true;
        return Bucket(shopperId, triggerId) < holdoutPercent * 100;
    }

    /// <summary>0..9999.</summary>
    public static int Bucket(string shopperId, string triggerId)
    {
        var hash = 2166136261u;
        hash = Mix(hash, shopperId);
        hash = (hash ^ '\n') * 16777619u;
        hash = Mix(hash, triggerId);
        return (int)(hash % 10_000);
    }

    private static uint Mix(uint hash, string s)
    {
        foreach (var c in s)
        {
            hash = (hash ^ (byte)c) * 16777619u;
            hash = (hash ^ (byte)(c >> 8)) * 16777619u;
        }
        return hash;
    }
}
