using System.Diagnostics;
using Personalize.Client;
using Personalize.LoadTests.Engine;
using Personalize.LoadTests.Targets;

namespace Personalize.LoadTests.Scenarios;

/// <summary>
/// Every shopper first gets a push while offline (a marked event through <c>POST /api/events</c>), then
/// all connections open at once: each must get its pending push replayed. Measures connect time under a
/// storm and replay latency (push receipt − start of that shopper's connect).
/// </summary>
public sealed class ConnectStormScenario(ScenarioSettings settings, Target target, HttpClient http, string runId)
    : Scenario(settings, target, http, runId)
{
    private ShopperSession[] _sessions = [];

    /// <summary>With a warm-up, a tenth as many other shoppers storm first, unmeasured; their sessions come first.</summary>
    private int WarmUpShoppers => Settings.WarmUp > TimeSpan.Zero ? Math.Max(1, Settings.Shoppers / 10) : 0;

    public override IReadOnlyList<LoadSimulation> Simulations => WarmUpShoppers > 0
        ? [new InjectAtOnce(WarmUpShoppers), new InjectAtOnce(Settings.Shoppers)]
        : [new InjectAtOnce(Settings.Shoppers)];

    public override long ThroughputCount => Stats.Connect.Count;

    public override async Task InitAsync(Action<string> say, CancellationToken cancellationToken)
    {
        if (!Target.IsEcho)
        {
            await MarketerApi.UpsertTriggerAsync(Http, Target, MarketerApi.HotTrigger(), cancellationToken);
            // The catalog reaches every silo within a second (CONTRACT.md §4).
            await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        }
        var warm = WarmUpShoppers;
        say($"leaving a pending push for {Settings.Shoppers} offline shoppers" + (warm > 0 ? $" (and {warm} for the warm-up storm)" : ""));
        var backend = new StorefrontBackendClient(Http, Target.BaseUrl, Target.StorefrontKey);
        _sessions = new ShopperSession[warm + Settings.Shoppers];
        await Parallel.ForAsync(0, _sessions.Length,
            new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var shopperId = i < warm ? $"lt-{RunId}-{Settings.ReportName}-warm-{i}" : $"lt-{RunId}-{Settings.ReportName}-{i - warm}";
                _sessions[i] = await ShopperSession.CreateAsync(Target, Http, shopperId, Stats, OnPush, ct);
                await SeedAsync(backend, shopperId, ct);
            });
    }

    /// <summary>The seeding requests stay in the track latency; the warm-up storm leaves connect and replay.</summary>
    public override void StartMeasuring()
    {
        Stats.Connect.Reset();
        Stats.Push.Reset();
    }

    public override async Task StepAsync(long sequence)
    {
        // One step is one connection of the storm; the driver starts them all at once.
        await _sessions[sequence].ConnectAsync(Stats, CancellationToken.None);
    }

    public override async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_sessions.Where(s => s is not null), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (s, _) => await s.DisposeAsync());
    }

    private async Task SeedAsync(StorefrontBackendClient backend, string shopperId, CancellationToken cancellationToken)
    {
        var marked = new ShopperEvent
        {
            Id = $"{shopperId}-seed", Type = EventTypes.AddToCart, ProductId = MarketerApi.PushProductId, Price = 10, Quantity = 1,
        };
        Stats.CountSent();
        var sentAt = Stopwatch.GetTimestamp();
        try
        {
            var accepted = await backend.SendEventsAsync(shopperId, [marked], cancellationToken);
            Stats.Track.RecordSince(sentAt);
            if (accepted.Accepted + accepted.Duplicates < 1)
            {
                Stats.CountError("POST /api/events accepted nothing");
                return;
            }
            Stats.CountAcknowledged();
            Stats.ExpectPush();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Stats.CountError("POST /api/events", ex);
        }
    }

    private void OnPush(ShopperSession session, Push push)
    {
        if (push.TriggerId != MarketerApi.HotTriggerId)
        {
            Stats.CountUnexpectedPush();
            return;
        }
        Stats.Push.RecordSince(session.ConnectStartedAt);
        Stats.CountPushReceived();
    }
}
