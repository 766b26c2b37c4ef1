using System.Diagnostics;
using HdrHistogram;

namespace Personalize.LoadTests.Engine;

/// <summary>
/// A thread-safe latency histogram in microseconds (1 µs .. 5 min, 3 significant digits): every sample
/// is kept, so percentiles are exact to the histogram's precision, not averaged per interval.
/// A lock, not HdrHistogram's concurrent variant: that one throws when read while written, and the
/// live progress reads while steps write. A record is ~50 ns, far below the rates driven here.
/// </summary>
public sealed class LatencyRecorder
{
    private static readonly long MaxMicros = (long)TimeSpan.FromMinutes(5).TotalMicroseconds;
    private readonly LongHistogram _histogram = new(1, MaxMicros, 3);
    private readonly Lock _gate = new();

    public long Count
    {
        get { lock (_gate) { return _histogram.TotalCount; } }
    }

    /// <summary>Records the time since a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp));

    public void Record(TimeSpan elapsed)
    {
        var micros = Math.Clamp((long)elapsed.TotalMicroseconds, 1, MaxMicros);
        lock (_gate)
        {
            _histogram.RecordValue(micros);
        }
    }

    /// <summary>Forgets what was recorded: the warm-up (ramp) is not what the targets are about.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _histogram.Reset();
        }
    }

    public LatencySummary Summarize()
    {
        lock (_gate)
        {
            return SummarizeLocked();
        }
    }

    private LatencySummary SummarizeLocked() => _histogram.TotalCount == 0
        ? LatencySummary.Empty
        : new LatencySummary(
            Count: _histogram.TotalCount,
            P50: Ms(_histogram.GetValueAtPercentile(50)),
            P75: Ms(_histogram.GetValueAtPercentile(75)),
            P95: Ms(_histogram.GetValueAtPercentile(95)),
            P99: Ms(_histogram.GetValueAtPercentile(99)),
            Max: Ms(_histogram.GetMaxValue()));

    /// <summary>(percentile, ms) points of the distribution, for the report's chart.</summary>
    public IReadOnlyList<(double Percentile, double Ms)> Curve()
    {
        lock (_gate)
        {
            return CurveLocked();
        }
    }

    private List<(double Percentile, double Ms)> CurveLocked()
    {
        if (_histogram.TotalCount == 0)
        {
            return [];
        }
        var points = new List<(double, double)>();
        foreach (var p in new[] { 0.0, 10, 25, 50, 75, 90, 95, 99, 99.9, 99.99, 100 })
        {
            points.Add((p, Ms(p >= 100 ? _histogram.GetMaxValue() : _histogram.GetValueAtPercentile(p))));
        }
        return points;
    }

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}

public sealed record LatencySummary(long Count, double P50, double P75, double P95, double P99, double Max)
{
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0);
}
