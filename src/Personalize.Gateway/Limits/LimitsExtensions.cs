using System.Threading.RateLimiting;
using Microsoft.AspNetCore.SignalR;

namespace Personalize.Gateway.Limits;

/// <summary>Wiring of the gateway's abuse limits: per-connection hub rate, per-key HTTP rate, and what logs may show.</summary>
public static class LimitsExtensions
{
    public static WebApplicationBuilder AddPersonalizeLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LimitsOptions>()
            .Bind(builder.Configuration.GetSection(LimitsOptions.Section))
            .Validate(o => !o.Problems().Any(), $"{LimitsOptions.Section}: every limit must be at least 1")
            .ValidateOnStart();

        builder.Services.AddSingleton<EventRateHubFilter>();
        builder.Services.Configure<HubOptions>(o => o.AddFilter<EventRateHubFilter>());

        builder.Services.AddSingleton<HttpRateLimits>();
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(
                context => context.RequestServices.GetRequiredService<HttpRateLimits>().Partition(context));
            o.OnRejected = HttpRateLimits.RejectAsync;
        });

        // The request-start line of hosting diagnostics carries the query string, and with it the hub's
        // access_token: it stays off whatever level an operator configures for Microsoft.AspNetCore.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }

    /// <summary>
    /// Before everything else, so a rejected request costs no authentication or grain call. Only
    /// <c>/api</c> is limited (<see cref="HttpRateLimits"/>), so only <c>/api</c> goes through the limiter:
    /// a hub connection is one request that lasts as long as the connection, and the middleware would
    /// hold its state and lease for all of it (about 300 bytes per idle connection, issue 6).
    /// </summary>
    public static WebApplication UsePersonalizeLimits(this WebApplication app)
    {
        app.UseWhen(context => HttpRateLimits.IsLimited(context.Request.Path), api => api.UseRateLimiter());
        return app;
    }
}
