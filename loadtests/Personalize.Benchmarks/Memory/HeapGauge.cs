using System.Diagnostics;
using System.Runtime;

namespace Personalize.Benchmarks.Memory;

/// <summary>One reading of this process's memory, taken after full, blocking, compacting collections.</summary>
public readonly record struct HeapReading(long ManagedBytes, long HeapSizeBytes, long WorkingSetBytes);

/// <summary>
/// Reads the live managed heap the way the figures are defined: after full blocking compacting GCs
/// (large object heap included), finalizers run in between, three readings a short pause apart and the
/// median kept, so one stray background allocation does not decide a figure.
/// </summary>
public static class HeapGauge
{
    public static async Task<HeapReading> ReadAsync()
    {
        var readings = new List<HeapReading>(3);
        for (var i = 0; i < 3; i++)
        {
            if (i > 0) await Task.Delay(TimeSpan.FromMilliseconds(500));
            readings.Add(ReadOnce());
        }
        return readings.OrderBy(r => r.ManagedBytes).ElementAt(1);
    }

    private static HeapReading ReadOnce()
    {
        for (var pass = 0; pass < 2; pass++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        var managed = GC.GetTotalMemory(forceFullCollection: false);
        var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        using var process = Process.GetCurrentProcess();
        return new HeapReading(managed, info.HeapSizeBytes, process.WorkingSet64);
    }
}
