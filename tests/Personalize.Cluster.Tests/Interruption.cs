namespace Personalize.Cluster.Tests;

/// <summary>
/// How long shoppers went unserved around a fault at <see cref="FaultAt"/>. A shopper is affected when a
/// call failed or its acknowledgements stopped for over a second; its interruption is its longest gap
/// between two acknowledged events. <see cref="AllServedAgainAfter"/>: from the fault until the last
/// affected shopper had an event acknowledged again.
/// </summary>
public sealed record Interruption(DateTimeOffset FaultAt, int Shoppers, int Affected, int FailedCalls, TimeSpan Longest, TimeSpan Median, TimeSpan AllServedAgainAfter)
{
    private static readonly TimeSpan Noticeable = TimeSpan.FromSeconds(1);

    public static Interruption Measure(IReadOnlyList<ShopperRun> shoppers, DateTimeOffset faultAt)
    {
        var gaps = new List<TimeSpan>();
        var servedAgain = TimeSpan.Zero;
        var failed = 0;
        foreach (var run in shoppers)
        {
            var failures = run.Failures.Where(f => f >= faultAt).ToList();
            failed += failures.Count;
            var gap = ShopperTraffic.LongestGap(run, faultAt);
            if (failures.Count == 0 && gap <= Noticeable) continue;
            gaps.Add(gap);
            var lastTrouble = failures.Count > 0 ? failures.Max() : faultAt;
            var firstAckAfter = run.Acks.Where(a => a > lastTrouble).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            var after = firstAckAfter == DateTimeOffset.MaxValue ? TimeSpan.MaxValue : firstAckAfter - faultAt;
            if (after > servedAgain) servedAgain = after;
        }
        gaps.Sort();
        return new Interruption(faultAt, shoppers.Count, gaps.Count, failed,
            gaps.Count == 0 ? TimeSpan.Zero : gaps[^1],
            gaps.Count == 0 ? TimeSpan.Zero : gaps[gaps.Count / 2],
            servedAgain);
    }

    /// <summary>Per affected shopper: when its calls failed and when it was last acknowledged, relative to the fault.</summary>
    public static IEnumerable<string> Details(IReadOnlyList<ShopperRun> shoppers, DateTimeOffset faultAt) =>
        from run in shoppers
        let failures = run.Failures.Where(f => f >= faultAt).Select(f => (f - faultAt).TotalSeconds.ToString("F2"))
        where failures.Any()
        select $"{run.Id}: failed at +[{string.Join(", ", failures)}] s, last acknowledged at +{((run.Acks.Count > 0 ? run.Acks[^1] : faultAt) - faultAt).TotalSeconds:F2} s";

    public override string ToString() =>
        $"{Affected}/{Shoppers} shoppers affected, {FailedCalls} failed calls; interruption longest {Longest.TotalSeconds:F1} s, " +
        $"median {Median.TotalSeconds:F1} s; all served again {(AllServedAgainAfter == TimeSpan.MaxValue ? "never" : $"{AllServedAgainAfter.TotalSeconds:F1} s")} after the fault";
}
