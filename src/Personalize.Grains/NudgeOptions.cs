namespace Personalize.Grains;

/// <summary><c>Personalize:Nudges</c>: guards that hold across all triggers and channels.</summary>
public sealed class NudgeOptions
{
    public const string Section = "Personalize:Nudges";

    /// <summary>At most this many pushes per shopper in any rolling hour.</summary>
    public int MaxPerShopperPerHour { get; set; } = 4;

    /// <summary>How long click-only changes may wait before they are written (they are also written on deactivation).</summary>
    public TimeSpan ClickFlushDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many lazy click writes a silo has under way at once. Flushes come due in waves (every shopper who
    /// browsed in the same second) and each holds its shopper's turn while it is written; the rest wait in the
    /// silo's flush queue, where they hold nothing, so the shoppers' own events are not stuck behind the wave.
    /// </summary>
    public int ClickFlushesInFlight { get; set; } = 4;
}
