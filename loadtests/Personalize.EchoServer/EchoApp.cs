using Personalize.Client;

namespace Personalize.EchoServer;

/// <summary>
/// Same routes and hub path as the gateway, so the load tests drive it with the same client code. It
/// accepts any token: it is a measuring stick, never a deployment.
/// </summary>
public static class EchoApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<EchoOptions>(builder.Configuration.GetSection("Echo"));
        builder.Services.AddSingleton<EchoState>();
        builder.Services.AddSignalR().AddJsonProtocol(json => ClientJson.Configure(json.PayloadSerializerOptions));
        builder.Services.ConfigureHttpJsonOptions(json => ClientJson.Configure(json.SerializerOptions));

        var app = builder.Build();
        app.MapHub<EchoHub>(PersonalizeClient.HubPath);
        app.MapGet("/health/live", () => TypedResults.Ok());
        app.MapGet("/health/ready", () => TypedResults.Ok());
        app.MapPost("/api/shopper-tokens", (TokenRequest request) =>
            TypedResults.Ok(new ShopperToken(EchoTokens.Mint(request.ShopperId),
                DateTimeOffset.UtcNow.AddSeconds(request.TtlSeconds ?? 3600))));
        app.MapPost("/api/events", async (EventsRequest request, EchoState state) =>
        {
            foreach (var shopperEvent in request.Events)
            {
                await state.ApplyAsync(request.ShopperId, shopperEvent);
            }
            return TypedResults.Accepted((string?)null, new EventsAccepted(request.Events.Count, 0));
        });
        return app;
    }

    public sealed record TokenRequest(string ShopperId, int? TtlSeconds);

    public sealed record EventsRequest(string ShopperId, IReadOnlyList<ShopperEvent> Events);
}

public sealed class EchoOptions
{
    /// <summary>An <c>add_to_cart</c> of this product gets an <c>offer</c> push, like the load test's trigger.</summary>
    public string PushProductId { get; set; } = "lt-push";

    /// <summary>The trigger id the echo's offers carry, so the load test matches them like real ones.</summary>
    public string TriggerId { get; set; } = "lt-hot";

    /// <summary>Reward pushes need a friend's order at least this large, as the referral programme says.</summary>
    public decimal MinOrderTotal { get; set; } = 30;
}

/// <summary>Tokens are <c>echo.{shopperId}</c>; any other string is taken as the shopper id itself.</summary>
public static class EchoTokens
{
    private const string Prefix = "echo.";

    public static string Mint(string shopperId) => Prefix + shopperId;

    public static string ShopperOf(string token) =>
        token.StartsWith(Prefix, StringComparison.Ordinal) ? token[Prefix.Length..] : token;
}
