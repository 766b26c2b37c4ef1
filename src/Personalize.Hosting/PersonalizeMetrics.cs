using System.Diagnostics.Metrics;

namespace Personalize.Hosting;

/// <summary>The product's own instruments, created once; exported with Orleans' meters on <c>/metrics</c>.</summary>
public sealed class PersonalizeMetrics : IDisposable
{
    public const string MeterName = "Personalize";
    public const string KindTag = "kind";
    public const string SourceTag = "source";
    /// <summary>On the storage write wait: true for a write no caller waits for (a lazy flush), queued after the others.</summary>
    public const string DeferredTag = "deferred";

    private readonly Meter _meter;

    public PersonalizeMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        EventsIngested = _meter.CreateCounter<long>("personalize.events.ingested", "{event}", "Events accepted from hubs and the HTTP API");
        EventsRejected = _meter.CreateCounter<long>("personalize.events.rejected", "{event}", "Events refused as invalid");
        PushesSent = _meter.CreateCounter<long>("personalize.pushes.sent", "{push}", "Pushes relayed to a shopper's SignalR connections");
        PushLatency = _meter.CreateHistogram<double>("personalize.push.latency", "ms", "Time from the event that caused a push to its relay to SignalR",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000] });
        StorageWriteWait = _meter.CreateHistogram<double>("personalize.storage.write.wait", "ms", "Time a grain state write waited for SQLite's one writer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500] });
        StorageWriteDuration = _meter.CreateHistogram<double>("personalize.storage.write.duration", "ms", "Time a grain state write took once it was the writer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100] });
        Connections = _meter.CreateUpDownCounter<long>("personalize.connections", "{connection}", "Open SignalR connections");
    }

    public Counter<long> EventsIngested { get; }
    public Counter<long> EventsRejected { get; }
    public Counter<long> PushesSent { get; }
    public Histogram<double> PushLatency { get; }
    public UpDownCounter<long> Connections { get; }
    public Histogram<double> StorageWriteWait { get; }
    public Histogram<double> StorageWriteDuration { get; }

    public void Dispose() => _meter.Dispose();
}
