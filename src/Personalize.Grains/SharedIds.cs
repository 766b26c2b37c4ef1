namespace Personalize.Grains;

/// <summary>
/// Product ids, category ids and search queries, shared by all the process's shoppers: a store has a
/// finite catalog and a few dozen categories, yet every parsed event brings fresh copies, and each idle
/// shopper kept its own (about 35 bytes a string, several per shopper). A lossy table: a slot keeps the
/// last string hashed to it, so its memory is bounded whatever clients send, and a miss only means the
/// shopper keeps its own copy, as before. Only equal strings are ever exchanged, so no answer changes.
/// </summary>
internal static class SharedIds
{
    private const int Slots = 1 << 16; // 512 KB of slots per process
    // Longer strings are rare and seldom repeated: not worth a slot.
    private const int MaxLength = 64;
    private static readonly string?[] Table = new string?[Slots];

    /// <summary>The process's copy of <paramref name="value"/> when one is known; otherwise <paramref name="value"/>, remembered.</summary>
    public static string? Share(string? value)
    {
        if (value is null || value.Length > MaxLength) return value;
        ref var slot = ref Table[value.GetHashCode() & (Slots - 1)];
        var known = Volatile.Read(ref slot);
        if (known is not null && string.Equals(known, value, StringComparison.Ordinal)) return known;
        Volatile.Write(ref slot, value);
        return value;
    }
}
