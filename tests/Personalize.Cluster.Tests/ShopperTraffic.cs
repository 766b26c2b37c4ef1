using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Personalize.TestSupport;

namespace Personalize.Cluster.Tests;

/// <summary>
/// Steady traffic from real SignalR clients, as storefronts send it: every shopper has one connection
/// and sends an event every <c>pace</c>. Basket shoppers add products (a small rotating set, so the
/// basket never hits its line cap); order shoppers place orders. Every event has a fresh id, so a change
/// that failed is never confused with a retry: what is found afterwards must include everything
/// acknowledged and nothing that was not sent. A connection that drops (its gateway died) is reopened
/// on the next running gateway, the way a storefront client fails over behind a load balancer.
/// </summary>
public sealed class ShopperTraffic(LocalCluster cluster, int shoppers, TimeSpan pace) : IAsyncDisposable
{
    public const string GiftProduct = "gift";
    private static readonly string[] PushKinds = ["offer", "referralPrompt", "recommendations", "survey", "reward"];
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    public List<ShopperRun> Shoppers { get; } = [];

    /// <summary>Connects every shopper (spread over the running gateways) and starts sending.</summary>
    public async Task StartAsync()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < shoppers; i++)
        {
            var run = new ShopperRun($"{prefix}-{i}", i % 2 == 0 ? ShopperKind.Basket : ShopperKind.Orders, i);
            run.Token = await cluster.TokenAsync(run.Id);
            await ConnectAsync(run);
            Shoppers.Add(run);
        }
        foreach (var run in Shoppers) _loops.Add(Task.Run(() => LoopAsync(run, _stop.Token)));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_loops);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        foreach (var run in Shoppers)
            if (run.Connection is not null) await run.Connection.DisposeAsync();
        _stop.Dispose();
    }

    /// <summary>Reads every shopper's state through a fresh connection and compares it with the ledger.</summary>
    public async Task<LedgerCheck> VerifyAsync()
    {
        var check = new LedgerCheck();
        foreach (var run in Shoppers)
        {
            await using var connection = await OpenAsync(run, NextGateway(run));
            var view = await connection.InvokeAsync<JsonElement>("GetState");
            run.Compare(view, check);
        }
        return check;
    }

    /// <summary>Per shopper, the longest time between two acknowledged events from <paramref name="from"/> on.</summary>
    public static TimeSpan LongestGap(ShopperRun run, DateTimeOffset from)
    {
        var acks = run.Acks.Where(a => a >= from - TimeSpan.FromSeconds(1)).ToList();
        var longest = TimeSpan.Zero;
        for (var i = 1; i < acks.Count; i++)
            if (acks[i] - acks[i - 1] > longest) longest = acks[i] - acks[i - 1];
        return longest;
    }

    private async Task LoopAsync(ShopperRun run, CancellationToken stop)
    {
        var n = 0;
        while (!stop.IsCancellationRequested)
        {
            if (run.Connection is not { State: HubConnectionState.Connected })
            {
                try
                {
                    await ConnectAsync(run);
                }
                catch (Exception)
                {
                    if (!stop.IsCancellationRequested) run.Failed();
                    await Delay(pace, stop);
                    continue;
                }
            }

            var (shopperEvent, key) = run.NextEvent(n++);
            run.Sent(key);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
                timeout.CancelAfter(CallTimeout);
                var result = await run.Connection!.InvokeAsync<JsonElement>("Track", shopperEvent, timeout.Token);
                if (result.GetProperty("accepted").GetBoolean()) run.Acknowledged(key);
            }
            catch (Exception)
            {
                // Not acknowledged (failed, timed out, or cut short by the end of the run): the change may
                // or may not have been stored, and the ledger allows both.
                if (!stop.IsCancellationRequested) run.Failed();
            }
            await Delay(pace, stop);
        }
    }

    private async Task ConnectAsync(ShopperRun run)
    {
        if (run.Connection is not null) await run.Connection.DisposeAsync();
        run.Connection = null;
        var gateway = NextGateway(run);
        // Handlers go on before the connection starts, as Personalize.Client does: the gateway replays
        // pending pushes the moment the connection opens, and a push arriving before its handler is
        // dropped by the SignalR client.
        var generation = run.Connections + 1;
        var connection = await OpenAsync(run, gateway, c =>
        {
            foreach (var kind in PushKinds)
                c.On<JsonElement>(kind, push => run.Pushed(push.GetProperty("id").GetString()!, generation));
        });
        run.Connections = generation;
        run.Gateway = gateway;
        run.Connection = connection;
    }

    private async Task<HubConnection> OpenAsync(ShopperRun run, ServiceProcess gateway, Action<HubConnection>? handlers = null)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(gateway.BaseUrl + "/hubs/shopper", o => o.AccessTokenProvider = () => Task.FromResult<string?>(run.Token))
            .Build();
        handlers?.Invoke(connection);
        try
        {
            await connection.StartAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The shopper's own gateway while it runs, else the next one that does.</summary>
    private ServiceProcess NextGateway(ShopperRun run)
    {
        var gateways = cluster.Gateways;
        for (var i = 0; i < gateways.Count; i++)
        {
            var candidate = gateways[(run.Index + i) % gateways.Count];
            if (candidate.IsRunning) return candidate;
        }
        throw new InvalidOperationException("no gateway is running");
    }

    private static async Task Delay(TimeSpan pace, CancellationToken stop)
    {
        try
        {
            await Task.Delay(pace, stop);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends it.
        }
    }
}

public enum ShopperKind { Basket, Orders }

/// <summary>Totals over all shoppers: what was sent, acknowledged and found afterwards, and every mismatch.</summary>
public sealed class LedgerCheck
{
    public int Sent { get; set; }
    public int Acknowledged { get; set; }
    public int Found { get; set; }
    public List<string> Problems { get; } = [];

    public override string ToString() => $"sent {Sent}, acknowledged {Acknowledged}, found {Found}";
}
