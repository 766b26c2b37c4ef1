using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Personalize.Gateway.Auth;
using Personalize.Grains;
using Personalize.Hosting;

namespace Personalize.Gateway.Hubs;

/// <summary>
/// <c>/hubs/shopper</c>: a storefront connection acting as the shopper named by its token's <c>sub</c>,
/// never by anything in a payload.
/// </summary>
[Authorize(AuthenticationSchemes = JwtBearerDefaults.AuthenticationScheme)]
public sealed class ShopperHub(
    IGrainFactory grains, StringKeyedGrains<IShopperGrain> shoppers, ShopperConnections connections, PersonalizeMetrics metrics) : Hub
{
    public const string Path = "/hubs/shopper";

    private const string ResolvedShopperKey = "shopperId";

    private string TokenShopperId => Context.User?.FindFirst(ShopperTokens.SubjectClaim)?.Value
        ?? throw new HubException("The connection has no shopper.");

    /// <summary>
    /// The shopper this connection acts as: the token's subject, or the customer it was merged into
    /// (resolved once at connect; a merge during the connection is still honoured by the alias grain,
    /// which forwards).
    /// </summary>
    private string ShopperId => Context.Items.TryGetValue(ResolvedShopperKey, out var id) && id is string s ? s : TokenShopperId;

    public async Task<TrackResult> Track(ShopperEvent shopperEvent)
    {
        var problems = ShopperEventValidator.Validate(shopperEvent, fromServer: false);
        if (problems.Count > 0)
        {
            metrics.EventsRejected.Add(1);
            throw new HubException("Invalid event: " + string.Join("; ", problems.Select(p => $"{p.Key} {p.Value}")));
        }
        var result = await shoppers.Get(ShopperId).TrackAsync(shopperEvent);
        metrics.EventsIngested.Add(1);
        return result;
    }

    public Task<ShopperView> GetState() => shoppers.Get(ShopperId).GetStateAsync();

    /// <summary>The shopper's one stable referral code and the link to share (claimed on first call).</summary>
    public Task<ReferralLink> GetReferralLink() => grains.GetGrain<IShopperReferralGrain>(ShopperId).GetReferralLinkAsync();

    public override async Task OnConnectedAsync()
    {
        // Kept only when it differs from the token's (a merged shopper), so most connections store nothing.
        var resolved = await grains.GetGrain<IShopperIdentityGrain>(TokenShopperId).ResolveAsync();
        if (resolved != TokenShopperId) Context.Items[ResolvedShopperKey] = resolved;
        metrics.Connections.Add(1);
        await connections.ConnectedAsync(ShopperId, Context.ConnectionId);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.Connections.Add(-1);
        await connections.DisconnectedAsync(ShopperId, Context.ConnectionId);
    }
}
