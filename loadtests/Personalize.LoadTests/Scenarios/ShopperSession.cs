using System.Collections.Concurrent;
using System.Diagnostics;
using Personalize.Client;
using Personalize.LoadTests.Engine;
using Personalize.LoadTests.Targets;

namespace Personalize.LoadTests.Scenarios;

/// <summary>One simulated shopper: a real <see cref="PersonalizeClient"/> plus what the test tracks about it.</summary>
public sealed class ShopperSession(string shopperId, PersonalizeClient client) : IAsyncDisposable
{
    private int _events;

    public string ShopperId { get; } = shopperId;
    public PersonalizeClient Client { get; } = client;

    /// <summary>
    /// Send times of this shopper's push-causing events, oldest first. The hub runs one connection's calls
    /// in order and the grain one event at a time, so the next push answers the oldest waiting event.
    /// </summary>
    public ConcurrentQueue<long> AwaitingPush { get; } = new();

    /// <summary>When this shopper's connection started opening (connect-storm measures replay from it).</summary>
    public long ConnectStartedAt { get; set; }

    public int NextEventNumber() => Interlocked.Increment(ref _events);

    public ValueTask DisposeAsync() => Client.DisposeAsync();

    /// <summary>Mints a token, builds a client that reports nudge_shown, and wires its pushes to <paramref name="onPush"/>.</summary>
    public static async Task<ShopperSession> CreateAsync(
        Target target, HttpClient http, string shopperId, ScenarioStats stats, Action<ShopperSession, Push> onPush,
        CancellationToken cancellationToken)
    {
        var token = await PersonalizeClient.MintTokenAsync(http, target.BaseUrl, target.StorefrontKey, shopperId, 3600, cancellationToken);
        var client = new PersonalizeClient(new PersonalizeClientOptions
        {
            BaseUrl = target.BaseUrl,
            AccessTokenProvider = () => Task.FromResult<string?>(token),
            // Acknowledged pushes leave the grain's outbox: the test must not let outboxes grow.
            ReportShown = true,
            // A negotiate request would leave an idle keep-alive HTTP connection per shopper on both sides
            // (8 KB of buffers and a socket each in this process) for as long as the run.
            DirectWebSocket = true,
        });
        var session = new ShopperSession(shopperId, client);
        client.PushReceived += push => onPush(session, push);
        client.BackgroundError += ex => stats.CountError("background", ex);
        return session;
    }

    /// <summary>Opens the connection and records how long it took in <see cref="ScenarioStats.Connect"/>.</summary>
    public async Task<bool> ConnectAsync(ScenarioStats stats, CancellationToken cancellationToken)
    {
        ConnectStartedAt = Stopwatch.GetTimestamp();
        try
        {
            await Client.StartAsync(cancellationToken);
            stats.Connect.RecordSince(ConnectStartedAt);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            stats.CountError("connect", ex);
            return false;
        }
    }

    /// <summary>Creates and connects many sessions, a bounded number at a time.</summary>
    public static async Task<ShopperSession[]> ConnectManyAsync(
        Target target, HttpClient http, IReadOnlyList<string> shopperIds, ScenarioStats stats,
        Action<ShopperSession, Push> onPush, int parallelism, CancellationToken cancellationToken)
    {
        var sessions = new ShopperSession[shopperIds.Count];
        await Parallel.ForAsync(0, shopperIds.Count,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                sessions[i] = await CreateAsync(target, http, shopperIds[i], stats, onPush, ct);
                await sessions[i].ConnectAsync(stats, ct);
            });
        return sessions;
    }
}
