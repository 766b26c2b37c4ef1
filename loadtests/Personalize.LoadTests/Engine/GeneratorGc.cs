using System.Diagnostics;
using System.Globalization;

namespace Personalize.LoadTests.Engine;

/// <summary>
/// The load generator's own garbage collections over the measured phase of a scenario. While this process
/// is paused, answers and pushes that arrive wait to be timestamped, so any latency that overlaps a pause
/// is measured at least that much longer: a tail has to be read against these figures.
/// </summary>
/// <param name="PausedPercent">Share of the phase's wall time this process spent paused for collections.</param>
/// <param name="Collections">Collections of any generation in the phase.</param>
/// <param name="MeanPauseMs">Paused time divided by <paramref name="Collections"/>.</param>
/// <param name="Gen0">Collections of generation 0 only; <paramref name="Gen1"/> and <paramref name="Gen2"/> likewise.</param>
public sealed record GeneratorGc(double PausedPercent, double PausedMs, int Collections, double MeanPauseMs, int Gen0, int Gen1, int Gen2)
{
    /// <summary>"paused 4.6 % of the time by 102 collections (90 gen0, 12 gen1, 0 gen2), 12.1 ms each on average".</summary>
    public string Describe() => Collections == 0
        ? "paused by no collection"
        : string.Create(CultureInfo.InvariantCulture,
            $"paused {PausedPercent:0.0} % of the time by {Collections} collections ({Gen0} gen0, {Gen1} gen1, {Gen2} gen2), {MeanPauseMs:0.0} ms each on average");

    /// <summary>Where this process's collection counters stand now.</summary>
    public readonly record struct Mark(long Timestamp, TimeSpan Paused, int Any, int Gen1OrOlder, int Gen2)
    {
        public static Mark Now() => new(
            Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

        /// <summary>What happened between <paramref name="start"/> and this mark.</summary>
        public GeneratorGc Since(Mark start)
        {
            var wall = Stopwatch.GetElapsedTime(start.Timestamp, Timestamp);
            var paused = Paused - start.Paused;
            // The runtime counts a collection in its generation and every younger one.
            var any = Any - start.Any;
            var olderThan0 = Gen1OrOlder - start.Gen1OrOlder;
            var gen2 = Gen2 - start.Gen2;
            return new GeneratorGc(
                PausedPercent: wall > TimeSpan.Zero ? Math.Round(100 * paused / wall, 2) : 0,
                PausedMs: Math.Round(paused.TotalMilliseconds, 1),
                Collections: any,
                MeanPauseMs: any > 0 ? Math.Round(paused.TotalMilliseconds / any, 2) : 0,
                Gen0: any - olderThan0,
                Gen1: olderThan0 - gen2,
                Gen2: gen2);
        }
    }
}
