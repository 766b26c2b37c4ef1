using System.Diagnostics;
using Personalize.Client;
using Personalize.LoadTests.Engine;
using Personalize.LoadTests.Targets;

namespace Personalize.LoadTests.Scenarios;

/// <summary>
/// Shoppers browse and fill baskets; every <see cref="ScenarioSettings.PushEvery"/>-th event of a shopper
/// is an add_to_cart the <c>lt-hot</c> trigger pushes on, so each push is expected and timed from the
/// event that caused it. Run against the echo server, the same workload is the <c>echo</c> ceiling.
/// </summary>
/// <remarks>
/// Each shopper is at its own point of its visit: shopper <c>i</c> adds to cart on its events
/// <c>n</c> with <c>(n + i) % PushEvery == 0</c>. Steps go round the shoppers in turn, so without the offset
/// every shopper added to cart in the same round: a thousand state writes and pushes inside 0.3 s, then
/// none for the next four (at the default of 5), a flash crowd in lock step rather than shoppers browsing on their own.
/// </remarks>
public sealed class HotPathScenario(ScenarioSettings settings, Target target, HttpClient http, string runId)
    : Scenario(settings, target, http, runId)
{
    private static readonly string[] BrowseTypes = [EventTypes.ProductView, EventTypes.PageView, EventTypes.ProductView, EventTypes.Search];
    private ShopperSession[] _sessions = [];

    public override IReadOnlyList<LoadSimulation> Simulations => Settings.SteadySimulations();

    public override async Task InitAsync(Action<string> say, CancellationToken cancellationToken)
    {
        if (!Target.IsEcho)
        {
            say("creating trigger lt-hot through the marketer API");
            await MarketerApi.UpsertTriggerAsync(Http, Target, MarketerApi.HotTrigger(), cancellationToken);
        }
        await WarmUpAsync(say, cancellationToken);
        say($"connecting {Settings.Shoppers} shoppers");
        var ids = Enumerable.Range(0, Settings.Shoppers).Select(i => $"lt-{RunId}-{Settings.ReportName}-{i}").ToArray();
        _sessions = await ShopperSession.ConnectManyAsync(Target, Http, ids, Stats, OnPush, parallelism: 32, cancellationToken);
    }

    public override async Task StepAsync(long sequence)
    {
        var index = (int)(sequence % _sessions.Length);
        var session = _sessions[index];
        var n = session.NextEventNumber();
        var pushes = (n + index) % Settings.PushEvery == 0;
        var shopperEvent = pushes
            ? new ShopperEvent { Id = $"{session.ShopperId}-{n}", Type = EventTypes.AddToCart, ProductId = MarketerApi.PushProductId, CategoryId = "lt", Price = 10, Quantity = 1 }
            : Browse(session.ShopperId, n);
        var sentAt = Stopwatch.GetTimestamp();
        if (pushes)
        {
            // Queued before sending: the push may overtake the Track answer.
            session.AwaitingPush.Enqueue(sentAt);
        }
        Stats.CountSent();
        try
        {
            var result = await session.Client.TrackAsync(shopperEvent);
            Stats.Track.RecordSince(sentAt);
            if (!result.Accepted)
            {
                Stats.CountError($"Track {shopperEvent.Type} not accepted");
                return;
            }
            Stats.CountAcknowledged();
            if (pushes)
            {
                // A duplicate answer means an earlier attempt of this same id got through: its push is still due.
                Stats.ExpectPush();
            }
        }
        catch (Exception ex)
        {
            Stats.CountError($"Track {shopperEvent.Type}", ex);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await Parallel.ForEachAsync(_sessions.Where(s => s is not null), new ParallelOptions { MaxDegreeOfParallelism = 64 },
            async (s, _) => await s.DisposeAsync());
    }

    private void OnPush(ShopperSession session, Push push)
    {
        if (push.TriggerId != MarketerApi.HotTriggerId || !session.AwaitingPush.TryDequeue(out var sentAt))
        {
            // Another trigger on a shared gateway, or a push with no event waiting for it: noted, not matched.
            Stats.CountUnexpectedPush();
            return;
        }
        Stats.Push.RecordSince(sentAt);
        Stats.CountPushReceived();
    }

    /// <summary>
    /// One throwaway shopper sends marked events until a push comes back: proves the trigger is live on
    /// every path (catalog changes take up to a second) before anything is measured.
    /// </summary>
    private async Task WarmUpAsync(Action<string> say, CancellationToken cancellationToken)
    {
        var warmStats = new ScenarioStats();
        var pushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var warm = await ShopperSession.CreateAsync(Target, Http, $"lt-{RunId}-{Settings.ReportName}-warm", warmStats,
            (_, p) => { if (p.TriggerId == MarketerApi.HotTriggerId) { pushed.TrySetResult(); } }, cancellationToken);
        if (!await warm.ConnectAsync(warmStats, cancellationToken))
        {
            throw new InvalidOperationException($"Warm-up could not connect: {string.Join("; ", warmStats.ErrorSamples)}");
        }
        var deadline = Stopwatch.GetTimestamp() + 20 * Stopwatch.Frequency;
        for (var attempt = 1; !pushed.Task.IsCompleted; attempt++)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("Warm-up: no lt-hot push within 20 s of marked events; is the trigger active?");
            }
            await warm.Client.TrackAsync(new ShopperEvent { Type = EventTypes.AddToCart, ProductId = MarketerApi.PushProductId, Price = 10, Quantity = 1 }, cancellationToken);
            await Task.WhenAny(pushed.Task, Task.Delay(500, cancellationToken));
        }
        say("warm-up push received");
    }

    private static ShopperEvent Browse(string shopperId, int n)
    {
        var type = BrowseTypes[n % BrowseTypes.Length];
        return new ShopperEvent
        {
            Id = $"{shopperId}-{n}",
            Type = type,
            ProductId = type == EventTypes.ProductView ? $"p-{n % 50}" : null,
            CategoryId = type == EventTypes.ProductView ? $"c-{n % 7}" : null,
            Price = type == EventTypes.ProductView ? 20 + n % 30 : null,
            Query = type == EventTypes.Search ? "shoes" : null,
        };
    }
}
