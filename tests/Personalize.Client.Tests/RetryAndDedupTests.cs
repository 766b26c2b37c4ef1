using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Personalize.Client;

namespace Personalize.Client.Tests;

/// <summary>
/// A hub of the tests' own that misbehaves on purpose: it drops the connection in the middle of a call,
/// and sends the same push twice, as a replay after a reconnect would.
/// </summary>
public sealed class RetryAndDedupTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<FlakyHub.Record>();
        builder.Services.AddSignalR().AddJsonProtocol(json => ClientJson.Configure(json.PayloadSerializerOptions));
        var app = builder.Build();
        app.MapHub<FlakyHub>(PersonalizeClient.HubPath);
        _server = await LoopbackServer.StartAsync(app);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_call_cut_off_by_a_dropped_connection_is_retried_with_the_same_id()
    {
        var record = _server.App.Services.GetRequiredService<FlakyHub.Record>();
        await using var client = _server.Client("retry");
        await client.StartAsync();

        var result = await client.TrackAsync(new ShopperEvent { Type = EventTypes.PageView });

        var ids = record.EventIds.ToArray();
        Assert.Equal(2, ids.Length);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(new TrackResult(true, true), result);
    }

    [Fact]
    public async Task A_repeated_push_id_is_raised_once()
    {
        await using var client = _server.Client("dedup");
        var offers = new ConcurrentQueue<OfferPush>();
        var second = new TaskCompletionSource();
        client.OfferReceived += offers.Enqueue;
        client.SurveyReceived += _ => second.TrySetResult();
        await client.StartAsync();

        await client.TrackAsync(new ShopperEvent { Type = EventTypes.AddToCart, ProductId = "p" });
        // The survey is sent after both offers on the same connection, so once it is in, both offers were read.
        await Eventually.Within(second.Task.ContinueWith(_ => true));

        Assert.Single(offers);
        Assert.Equal(2, client.RememberedPushIds);
    }

    public sealed class FlakyHub(FlakyHub.Record record) : Hub
    {
        public async Task<TrackResult> Track(ShopperEvent e)
        {
            record.EventIds.Enqueue(e.Id!);
            if (e.Type == EventTypes.AddToCart)
            {
                var offer = new OfferPush { Id = "n-1", TriggerId = "t", Kind = PushKinds.Offer, Code = "X" };
                await Clients.Caller.SendAsync(PushKinds.Offer, offer);
                await Clients.Caller.SendAsync(PushKinds.Offer, offer);
                await Clients.Caller.SendAsync(PushKinds.Survey, new SurveyPush { Id = "n-2", TriggerId = "t", Kind = PushKinds.Survey });
                return new TrackResult(true, false);
            }
            if (record.Seen.TryAdd(e.Id!, true))
            {
                // Gone before the answer: the client sees a closed connection, not an error from the hub.
                Context.Abort();
                await Task.Delay(TimeSpan.FromSeconds(1));
                return new TrackResult(true, false);
            }
            return new TrackResult(true, true);
        }

        public sealed class Record
        {
            public ConcurrentQueue<string> EventIds { get; } = new();
            public ConcurrentDictionary<string, bool> Seen { get; } = new();
        }
    }
}
