using System.Diagnostics.Metrics;

namespace Personalize.Hosting;

/// <summary>The product's own instruments, created once; exported with Orleans' meters on <c>/metrics</c>.</summary>
public sealed class PersonalizeMetrics : IDisposable
{
    public const string MeterName = "Personalize";
    public const string KindTag = "kind";
    public const string SourceTag = "source";

    private readonly Meter _meter;

    public PersonalizeMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        EventsIngested = _meter.CreateCounter<long>("personalize.events.ingested", "{event}", "Events accepted from hubs and the HTTP API");
        EventsRejected = _meter.CreateCounter<long>("personalize.events.rejected", "{event}", "Events refused as invalid");
        PushesSent = _meter.CreateCounter<long>("personalize.pushes.sent", "{push}", "Pushes relayed to SignalR groups");
        PushLatency = _meter.CreateHistogram<double>("personalize.push.latency", "ms", "Time from the event that caused a push to its relay to SignalR",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 250, 500, 1000] });
        Connections = _meter.CreateUpDownCounter<long>("personalize.connections", "{connection}", "Open SignalR connections");
    }

    public Counter<long> EventsIngested { get; }
    public Counter<long> EventsRejected { get; }
    public Counter<long> PushesSent { get; }
    public Histogram<double> PushLatency { get; }
    public UpDownCounter<long> Connections { get; }

    public void Dispose() => _meter.Dispose();
}
