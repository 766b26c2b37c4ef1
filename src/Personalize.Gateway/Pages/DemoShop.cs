using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Personalize.Gateway.Apis;
using Personalize.Gateway.Auth;

namespace Personalize.Gateway.Pages;

/// <summary>
/// Server side of the demo shop. <c>POST /demo/token</c> is a DEVELOPMENT CONVENIENCE: it hands a
/// shopper token for any shopper id to anyone who asks, standing in for the storefront backend a real
/// shop has (which calls <c>POST /api/shopper-tokens</c> with its storefront key). It exists only while
/// <c>Personalize:Demo:Enabled</c> is true, which must never be the case in production.
/// </summary>
public static partial class DemoShop
{
    private const int TokenTtlSeconds = 3600;

    public sealed record TokenRequest(string? ShopperId);

    public static void MapDemoShop(this WebApplication app)
    {
        var seeder = ActivatorUtilities.CreateInstance<DemoTriggerSeeder>(app.Services);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DemoShop).FullName!);
        LogWarningDemoEnabled(logger);
        app.Lifetime.ApplicationStarted.Register(() => _ = seeder.EnsureSeededAsync(app.Lifetime.ApplicationStopping));

        app.MapPost("/demo/token", async (HttpRequest request, ShopperTokens tokens, IOptions<JsonOptions> json) =>
        {
            var (body, error) = await JsonBody.ReadAsync(request);
            if (error is not null) return error;
            var (input, bindError) = JsonBody.Bind<TokenRequest>(body, json.Value.SerializerOptions);
            if (bindError is not null) return bindError;
            if (ShoppersApi.ShopperIdProblem(input?.ShopperId) is { } problem) return Problems.Validation("shopperId", problem);

            // The first shopper of a fresh start must already meet the demo triggers.
            await seeder.EnsureSeededAsync(request.HttpContext.RequestAborted);
            var (token, expiresAt) = tokens.Mint(input!.ShopperId!, TokenTtlSeconds);
            return TypedResults.Ok(new { token, expiresAt });
        }).ExcludeFromDescription();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo shop enabled: /demo/token mints shopper tokens for anyone. Turn Personalize:Demo:Enabled off outside development.")]
    private static partial void LogWarningDemoEnabled(ILogger logger);
}
