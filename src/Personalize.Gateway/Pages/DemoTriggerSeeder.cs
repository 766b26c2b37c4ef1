using Personalize.Grains;
using Personalize.Triggers;

namespace Personalize.Gateway.Pages;

/// <summary>
/// Makes sure the demo shop's triggers exist. Idempotent: a trigger whose id exists is left as the
/// marketer last saved it (create answers <c>null</c> on an existing id), so edits made in the console
/// survive restarts; a demo trigger deleted in the console comes back on the next start.
/// </summary>
public sealed partial class DemoTriggerSeeder(IGrainFactory grains, IServiceProvider services, ILogger<DemoTriggerSeeder> logger)
{
    // Holdout 0 so every demo shopper sees the nudge: the demo shows the experience, not the experiment.
    // The basket offer names the demo's own products (wwwroot/demo/demo.js) so that a gateway left
    // with the demo on does not answer a real storefront's baskets.
    public static readonly IReadOnlyList<string> Definitions =
    [
        """
        { "id": "demo-basket-offer", "name": "Demo: offer on first add to basket", "enabled": true, "priority": 100,
          "on": { "event": "add_to_cart" },
          "conditions": [ { "fact": "event.productId", "op": "in",
                            "value": ["trail-runner", "city-sneaker", "rain-jacket", "wool-beanie", "day-pack", "thermo-bottle", "hiking-socks", "sun-glasses"] } ],
          "action": { "type": "offer", "title": "10% off your basket", "message": "Use code DEMO10 at checkout, valid 30 minutes.",
                      "discount": { "kind": "percent", "value": 10 }, "code": "DEMO10", "ttlSeconds": 1800 },
          "limits": { "maxPerShopper": 1, "cooldownSeconds": 0, "maxPerDay": 100000 },
          "holdoutPercent": 0 }
        """,
        """
        { "id": "demo-nps-after-purchase", "name": "Demo: NPS survey after a purchase", "enabled": true, "priority": 50,
          "on": { "event": "purchase" },
          "conditions": [],
          "action": { "type": "survey", "survey": "nps", "title": "Quick question", "message": "Thanks for your order!",
                      "question": "How likely are you to recommend us to a friend?", "ttlSeconds": 86400 },
          "limits": { "maxPerShopper": 1, "cooldownSeconds": 0, "maxPerDay": 100000 },
          "holdoutPercent": 0 }
        """,
    ];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _seeded;

    /// <summary>Seeds once per process; a failure (cluster not reachable yet) is retried by the next caller.</summary>
    public async Task EnsureSeededAsync(CancellationToken cancellationToken)
    {
        for (var delay = TimeSpan.FromMilliseconds(250); !_seeded; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks)))
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                if (_seeded) return;
                await SeedAsync();
                _seeded = true;
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWarningSeedFailed(logger, ex);
            }
            finally
            {
                _gate.Release();
            }
            await Task.Delay(delay, cancellationToken);
        }
    }

    private async Task SeedAsync()
    {
        var catalog = grains.GetGrain<ITriggerCatalogGrain>(0);
        var created = 0;
        foreach (var json in Definitions)
        {
            // The definitions are constants; a parse failure is a programming error the tests catch.
            if (!TriggerParser.TryParse(json, routeId: null, out var trigger, out var errors))
                throw new InvalidOperationException("invalid demo trigger: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
            if (await catalog.CreateAsync(trigger!.Id, trigger.ToJson()) is not null) created++;
        }
        if (created > 0 && services.GetService<TriggerCatalogCache>() is { } cache) await cache.RefreshAsync();
        LogInformationSeeded(logger, created, Definitions.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo triggers not seeded yet; retrying")]
    private static partial void LogWarningSeedFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo triggers: {Created} created, {Total} in all")]
    private static partial void LogInformationSeeded(ILogger logger, int created, int total);
}
