using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Personalize.Gateway.Apis;
using Personalize.Gateway.Auth;
using Personalize.Gateway.Hubs;
using Personalize.Gateway.Pages;
using Personalize.Grains;
using Personalize.Hosting;

namespace Personalize.Gateway;

public static class GatewayPolicies
{
    public const string Marketer = "marketer";
    public const string Storefront = "storefront";
    public const string MarketerOrStorefront = "marketer-or-storefront";
}

/// <summary>The gateway's wiring: auth, hub, APIs, Orleans (silo or client), operations endpoints.</summary>
public static class GatewayExtensions
{
    public static WebApplicationBuilder AddPersonalizeGateway(this WebApplicationBuilder builder)
    {
        var auth = AuthSettings.Resolve(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(auth);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ShopperTokens>();

        builder.AddPersonalizeOrleans(alwaysSilo: false, silo => silo.Services.AddPersonalizeGrains(builder.Configuration));
        // Delivered counts are made here (the relay), also when the gateway is only a cluster client.
        builder.Services.AddTriggerStats();

        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication()
            .AddScheme<ApiKeyOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.Marketer,
                o => o.KeyHashes = [.. auth.MarketerApiKeys.Select(ApiKeyAuthenticationHandler.Hash)])
            .AddScheme<ApiKeyOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.Storefront,
                o => o.KeyHashes = [.. auth.StorefrontApiKeys.Select(ApiKeyAuthenticationHandler.Hash)])
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                // Nothing reads the token back (GetTokenAsync), and a hub connection would keep a copy of it
                // in its authentication result for as long as it is open (~550 bytes, issue 6).
                o.SaveToken = false;
                o.TokenValidationParameters = ShopperTokens.ValidationParameters(auth);
                // Browsers cannot set headers on WebSockets: the hub also takes the token from the query string.
                o.Events = new JwtBearerEvents
                {
                    OnMessageReceived = context =>
                    {
                        if (context.HttpContext.Request.Path.StartsWithSegments(ShopperHub.Path)
                            && context.Request.Query["access_token"] is { Count: 1 } token)
                            context.Token = token[0];
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = ShopperTokens.KeepSubjectOnly,
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(GatewayPolicies.Marketer, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.Marketer).RequireAuthenticatedUser())
            .AddPolicy(GatewayPolicies.Storefront, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.Storefront).RequireAuthenticatedUser())
            .AddPolicy(GatewayPolicies.MarketerOrStorefront, p => p
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.Marketer, ApiKeyAuthenticationHandler.Storefront)
                .RequireAuthenticatedUser());

        builder.Services.AddSignalR(o => o.MaximumReceiveMessageSize = 64 * 1024);
        // A closed registration, so it is chosen over SignalR's scoped IHubActivator<> (ShopperHubActivator says why).
        builder.Services.AddSingleton<IHubActivator<ShopperHub>, ShopperHubActivator>();
        builder.Services.AddSingleton(typeof(StringKeyedGrains<>));
        builder.Services.AddSingleton<ShopperConnections>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ShopperConnections>());
        return builder;
    }

    /// <summary>
    /// An HTTP/1.1 upgrade to WebSocket or an HTTP/2 extended CONNECT for one. Read from the request, since
    /// <c>HttpContext.WebSockets</c> only knows once SignalR's endpoint has added its WebSocket middleware.
    /// </summary>
    private static bool IsWebSocketUpgrade(HttpContext context) =>
        context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            && string.Equals(context.Request.Headers.Upgrade, "websocket", StringComparison.OrdinalIgnoreCase)
        || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: "websocket" };

    public static WebApplication MapPersonalizeGateway(this WebApplication app)
    {
        // Problem details for every answer a client can read. A WebSocket request is left out: once
        // upgraded it can get no HTTP answer, before that a WebSocket client cannot read one either, and
        // both middlewares would wait out each hub connection holding their state (~270 bytes, issue 6).
        app.UseWhen(context => !IsWebSocketUpgrade(context), http =>
        {
            http.UseExceptionHandler();
            http.UseStatusCodePages();
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHub<ShopperHub>(ShopperHub.Path);
        app.MapTriggersApi();
        app.MapTriggerInsightsApi();
        app.MapShoppersApi();
        app.MapReferralApi();
        app.MapProductsApi();
        app.MapNpsApi();
        app.MapIdentitiesApi();
        app.MapPersonalizeOperations();
        app.MapPersonalizePages();
        return app;
    }
}
