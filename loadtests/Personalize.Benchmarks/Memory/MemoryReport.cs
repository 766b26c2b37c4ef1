using System.Text.Json;
using System.Text.Json.Serialization;

namespace Personalize.Benchmarks.Memory;

/// <summary>What <c>memory.json</c> holds: the headline figures first, then how each was measured.</summary>
public sealed record MemoryReport
{
    public int Schema { get; init; } = 1;
    public DateTimeOffset MeasuredAt { get; init; }
    /// <summary>Managed bytes per idle shopper grain after a typical session (<see cref="Grains"/>).</summary>
    public double? BytesPerGrain { get; init; }
    /// <summary>Managed bytes per idle shopper grain with every ring at its cap (a sizing figure).</summary>
    public double? BytesPerFullGrain { get; init; }
    /// <summary>Managed bytes in the gateway process per idle SignalR connection.</summary>
    public double? BytesPerConnection { get; init; }
    /// <summary>Managed bytes per idle connection to the bare SignalR echo server in the same run: the floor.</summary>
    public double? BytesPerEchoConnection { get; init; }
    /// <summary>Managed bytes per connected storefront client (Personalize.Client) in the clients' own process.</summary>
    public double? BytesPerClient { get; init; }
    public int GrainTargetBytes { get; init; } = MemoryTargets.GrainBytes;
    public int ConnectionTargetBytes { get; init; } = MemoryTargets.ConnectionBytes;
    public MemorySection? Grains { get; init; }
    public MemorySection? FullGrains { get; init; }
    public MemorySection? Connections { get; init; }
    public MemorySection? EchoConnections { get; init; }
    public required MachineInfo Machine { get; init; }
    public required IReadOnlyList<string> Method { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static MemoryReport FromJson(string json) =>
        JsonSerializer.Deserialize<MemoryReport>(json, Json) ?? throw new InvalidOperationException("empty report");
}

public static class MemoryTargets
{
    public const int GrainBytes = 4 * 1024;
    public const int ConnectionBytes = 16 * 1024;
}

public sealed record HeapFigures(long ManagedBytes, long HeapSizeBytes, long WorkingSetBytes)
{
    public static HeapFigures Of(HeapReading r) => new(r.ManagedBytes, r.HeapSizeBytes, r.WorkingSetBytes);
}

/// <summary>One measurement: <see cref="Count"/> items added between <see cref="Baseline"/> and <see cref="After"/>.</summary>
public sealed record MemorySection
{
    public int Count { get; init; }
    /// <summary>(After − Baseline) managed bytes / Count: the figure.</summary>
    public double BytesPerItem { get; init; }
    public double HeapSizeBytesPerItem { get; init; }
    public double WorkingSetBytesPerItem { get; init; }
    /// <summary>Connections: managed bytes per open client in the process holding the clients (the storefront's side).</summary>
    public double? ClientBytesPerItem { get; init; }
    public required HeapFigures Baseline { get; init; }
    public required HeapFigures After { get; init; }
    /// <summary>Grain activations in the silo before and after (grains), so a collected grain would show.</summary>
    public int? ActivationsBefore { get; init; }
    public int? ActivationsAfter { get; init; }
    /// <summary>What each item went through: the session each shopper had, or how connections were made.</summary>
    public required IReadOnlyList<string> Session { get; init; }
    public double SetupSeconds { get; init; }

    public static MemorySection From(int count, HeapReading before, HeapReading after, int? activationsBefore, int? activationsAfter,
        IReadOnlyList<string> session, TimeSpan setup) => new()
    {
        Count = count,
        BytesPerItem = Per(after.ManagedBytes - before.ManagedBytes, count),
        HeapSizeBytesPerItem = Per(after.HeapSizeBytes - before.HeapSizeBytes, count),
        WorkingSetBytesPerItem = Per(after.WorkingSetBytes - before.WorkingSetBytes, count),
        Baseline = HeapFigures.Of(before),
        After = HeapFigures.Of(after),
        ActivationsBefore = activationsBefore,
        ActivationsAfter = activationsAfter,
        Session = session,
        SetupSeconds = Math.Round(setup.TotalSeconds, 1),
    };

    private static double Per(long bytes, int count) => count == 0 ? 0 : Math.Round((double)bytes / count, 1);
}

public sealed record MachineInfo(string Os, int ProcessorCount, string Runtime, bool ServerGc, string GcLatencyMode)
{
    public static MachineInfo Current() => new(
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        System.Runtime.GCSettings.IsServerGC,
        System.Runtime.GCSettings.LatencyMode.ToString());
}
