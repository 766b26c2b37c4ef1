using System.Diagnostics;
using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Personalize.Cluster.Tests;

/// <summary>
/// Faults under steady traffic from real SignalR clients against silo and gateway processes on
/// PostgreSQL. Each test starts its own cluster and database. The figures each test prints are the ones
/// docs/cluster-results.md reports.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Shoppers = 24;
    private static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_silo_killed_under_traffic_loses_nothing_acknowledged_and_its_shoppers_are_served_again_within_seconds()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, gateways: 1);
        await using var traffic = new ShopperTraffic(cluster, Shoppers, Pace);
        await traffic.StartAsync();
        await Task.Delay(WarmUp);

        var killedAt = DateTimeOffset.UtcNow;
        await cluster.Silos[1].StopAsync(graceful: false);
        await Task.Delay(TimeSpan.FromSeconds(20));
        await traffic.StopAsync();

        var interruption = Interruption.Measure(traffic.Shoppers, killedAt);
        var ledger = await traffic.VerifyAsync();
        Report("silo SIGKILL", interruption, ledger);
        foreach (var line in Interruption.Details(traffic.Shoppers, killedAt)) output.WriteLine(line);
        Assert.True(ledger.Problems.Count == 0, string.Join("\n", ledger.Problems) + "\n" + cluster.Logs());
        Assert.True(interruption.AllServedAgainAfter < TimeSpan.FromSeconds(15), interruption + "\n" + cluster.Logs());
        using var http = new HttpClient();
        Assert.True(await cluster.Gateways[0].IsReadyAsync(http));
    }

    [Fact]
    public async Task A_silo_stopped_gracefully_under_traffic_loses_nothing_and_hands_over_quickly()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3, gateways: 1);
        await using var traffic = new ShopperTraffic(cluster, Shoppers, Pace);
        await traffic.StartAsync();
        await Task.Delay(WarmUp);

        var stoppedAt = DateTimeOffset.UtcNow;
        var stopping = Stopwatch.StartNew();
        await cluster.Silos[1].StopAsync(graceful: true);
        output.WriteLine($"silo stopped in {stopping.Elapsed.TotalSeconds:F1} s, exit code {cluster.Silos[1].ExitCode}");
        await Task.Delay(TimeSpan.FromSeconds(8));
        await traffic.StopAsync();

        var interruption = Interruption.Measure(traffic.Shoppers, stoppedAt);
        var ledger = await traffic.VerifyAsync();
        Report("silo SIGTERM", interruption, ledger);
        Assert.Equal(0, cluster.Silos[1].ExitCode);
        Assert.True(ledger.Problems.Count == 0, string.Join("\n", ledger.Problems) + "\n" + cluster.Logs());
        Assert.True(interruption.AllServedAgainAfter < TimeSpan.FromSeconds(10), interruption + "\n" + cluster.Logs());
    }

    [Fact]
    public async Task A_postgres_restart_under_traffic_refuses_what_it_cannot_store_and_loses_nothing_acknowledged()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2, gateways: 1);
        await using var traffic = new ShopperTraffic(cluster, Shoppers, Pace);
        await traffic.StartAsync();
        await Task.Delay(WarmUp);

        var downAt = DateTimeOffset.UtcNow;
        await cluster.Postgres.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.Postgres.StartServerAsync();
        var upAfter = DateTimeOffset.UtcNow - downAt;
        await Task.Delay(TimeSpan.FromSeconds(10));
        await traffic.StopAsync();

        var interruption = Interruption.Measure(traffic.Shoppers, downAt);
        var ledger = await traffic.VerifyAsync();
        Report($"PostgreSQL down {upAfter.TotalSeconds:F1} s", interruption, ledger);
        // Writes during the outage were refused to the client, not acknowledged and dropped.
        Assert.True(interruption.FailedCalls > 0, "no call failed while PostgreSQL was down: " + interruption);
        Assert.True(ledger.Problems.Count == 0, string.Join("\n", ledger.Problems) + "\n" + cluster.Logs());
        Assert.True(interruption.AllServedAgainAfter < upAfter + TimeSpan.FromSeconds(8), interruption + "\n" + cluster.Logs());
    }

    [Fact]
    public async Task A_gateway_killed_under_traffic_its_shoppers_reconnect_elsewhere_and_get_their_pending_pushes()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2, gateways: 2);
        await cluster.CreateOfferTriggerAsync("gift-offer", ShopperTraffic.GiftProduct);
        await using var traffic = new ShopperTraffic(cluster, Shoppers, Pace);
        await traffic.StartAsync();
        var basketShoppers = traffic.Shoppers.Where(s => s.Kind == ShopperKind.Basket).ToList();
        // Generous waits: the figures come from the timestamps, and a loaded CI machine must not fail the test.
        await WaitUntil(() => basketShoppers.All(s => s.Pushes.Count > 0), TimeSpan.FromSeconds(30),
            () => "every basket shopper got the offer; missing: " + string.Join(", ", basketShoppers.Where(s => s.Pushes.Count == 0).Select(s => s.Id)) + "\n" + cluster.Logs());

        var killed = cluster.Gateways[0];
        var moved = basketShoppers.Where(s => s.Gateway == killed).ToList();
        var pending = moved.ToDictionary(s => s.Id, s => s.Pushes[0].Id);
        var killedAt = DateTimeOffset.UtcNow;
        await killed.StopAsync(graceful: false);
        await WaitUntil(() => moved.All(s => s.Pushes.Any(p => p.Connection > 1 && p.Id == pending[s.Id])),
            TimeSpan.FromSeconds(30), () => "every moved shopper got its pending push again on its new connection; missing: "
                + string.Join(", ", moved.Where(s => !s.Pushes.Any(p => p.Connection > 1 && p.Id == pending[s.Id])).Select(s => $"{s.Id} ({s.Connections} connections)"))
                + "\n" + cluster.Logs());
        var replayedAfter = DateTimeOffset.UtcNow - killedAt;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await traffic.StopAsync();

        var interruption = Interruption.Measure(traffic.Shoppers, killedAt);
        var ledger = await traffic.VerifyAsync();
        Report($"gateway SIGKILL ({moved.Count} shoppers with a pending push moved; all replayed within {replayedAfter.TotalSeconds:F1} s)", interruption, ledger);
        Assert.NotEmpty(moved);
        Assert.True(ledger.Problems.Count == 0, string.Join("\n", ledger.Problems) + "\n" + cluster.Logs());
        Assert.True(interruption.AllServedAgainAfter < TimeSpan.FromSeconds(10), interruption + "\n" + cluster.Logs());
    }

    private void Report(string fault, Interruption interruption, LedgerCheck ledger)
    {
        var line = $"{fault}: {interruption}; events {ledger}";
        output.WriteLine(line);
        File.AppendAllText(Path.Combine(AppContext.BaseDirectory, "cluster-results.log"), $"{DateTimeOffset.UtcNow:u} {line}\n");
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan within, Func<string> what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {within.TotalSeconds} s: {what()}");
            await Task.Delay(100);
        }
    }
}
