using Microsoft.AspNetCore.SignalR;
using Personalize.Client;

namespace Personalize.EchoServer;

/// <summary>
/// <c>Track</c> answers at once; a push-worthy event sends one <c>offer</c> to the shopper's group, the
/// same fan-out the gateway uses. Nothing is stored on this path: it measures SignalR, not a product.
/// </summary>
public sealed class EchoHub(EchoState state) : Hub
{
    private static readonly TrackResult Accepted = new(true, false);

    public override async Task OnConnectedAsync()
    {
        var shopperId = ShopperId();
        Context.Items[nameof(ShopperId)] = shopperId;
        await Groups.AddToGroupAsync(Context.ConnectionId, shopperId);
        state.Connected(shopperId);
        await state.ReplayAsync(shopperId, Clients.Caller);
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        state.Disconnected((string)Context.Items[nameof(ShopperId)]!);
        return Task.CompletedTask;
    }

    public async Task<TrackResult> Track(ShopperEvent shopperEvent)
    {
        if (string.IsNullOrEmpty(shopperEvent.Id) || string.IsNullOrEmpty(shopperEvent.Type))
        {
            throw new HubException("An event needs an id and a type.");
        }
        await state.ApplyAsync((string)Context.Items[nameof(ShopperId)]!, shopperEvent);
        return Accepted;
    }

    public ShopperView GetState() => new() { ShopperId = (string)Context.Items[nameof(ShopperId)]! };

    public ReferralLink GetReferralLink() => state.ReferralLinkOf((string)Context.Items[nameof(ShopperId)]!);

    private string ShopperId()
    {
        var http = Context.GetHttpContext() ?? throw new HubException("No HTTP context.");
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..]
            : http.Request.Query["access_token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            // Same rule as the gateway: no token, no connection.
            throw new HubException("A shopper token is required.");
        }
        return EchoTokens.ShopperOf(token);
    }
}
