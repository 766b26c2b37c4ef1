using Personalize.Client;
using Personalize.EchoServer;

namespace Personalize.Client.Tests;

/// <summary>The client against the echo server: the gateway's routes and shapes, over real sockets.</summary>
public sealed class EchoServerTests : IAsyncLifetime
{
    private LoopbackServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await LoopbackServer.StartAsync(EchoApp.Build(["--urls", "http://127.0.0.1:0"]));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Track_fills_a_missing_id_and_is_accepted()
    {
        await using var client = _server.Client(NewShopper());
        await client.StartAsync();

        var result = await client.TrackAsync(new ShopperEvent { Type = EventTypes.PageView });

        Assert.Equal(new TrackResult(true, false), result);
    }

    [Fact]
    public async Task A_push_is_raised_as_its_kind_and_as_a_push()
    {
        await using var client = _server.Client(NewShopper(), reportShown: true);
        var offer = new TaskCompletionSource<OfferPush>();
        var any = new TaskCompletionSource<Push>();
        client.OfferReceived += p => offer.TrySetResult(p);
        client.PushReceived += p => any.TrySetResult(p);
        client.BackgroundError += ex => offer.TrySetException(ex);
        await client.StartAsync();

        await client.TrackAsync(new ShopperEvent { Type = EventTypes.AddToCart, ProductId = "lt-push", Quantity = 1 });

        var received = await Eventually.Within(offer.Task);
        Assert.Equal("lt-hot", received.TriggerId);
        Assert.Equal("LT10", received.Code);
        Assert.Same(received, await Eventually.Within(any.Task));
    }

    [Fact]
    public async Task A_push_made_while_offline_is_replayed_on_connect()
    {
        var shopperId = NewShopper();
        using var http = new HttpClient();
        var backend = new StorefrontBackendClient(http, _server.BaseUrl, "storefront-key");
        var token = await backend.MintTokenAsync(shopperId);
        Assert.False(string.IsNullOrEmpty(token));

        var accepted = await backend.SendEventsAsync(shopperId,
            [new ShopperEvent { Type = EventTypes.AddToCart, ProductId = "lt-push", Quantity = 1 }]);
        Assert.Equal(1, accepted.Accepted);

        await using var client = new PersonalizeClient(new PersonalizeClientOptions
        {
            BaseUrl = _server.BaseUrl,
            AccessTokenProvider = () => Task.FromResult<string?>(token),
        });
        var offer = new TaskCompletionSource<OfferPush>();
        client.OfferReceived += p => offer.TrySetResult(p);
        await client.StartAsync();

        Assert.Equal("lt-hot", (await Eventually.Within(offer.Task)).TriggerId);
    }

    [Fact]
    public async Task The_referral_link_is_the_same_on_every_call()
    {
        await using var client = _server.Client(NewShopper());
        await client.StartAsync();

        var first = await client.GetReferralLinkAsync();
        var second = await client.GetReferralLinkAsync();

        Assert.Equal(first, second);
        Assert.True(first.Code.Length >= 8);
    }

    [Fact]
    public async Task Using_the_client_before_starting_it_says_so()
    {
        await using var client = _server.Client(NewShopper());

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.TrackAsync(new ShopperEvent { Type = EventTypes.PageView }));
    }

    private static string NewShopper() => "s-" + Guid.NewGuid().ToString("N")[..12];
}
