using Personalize.Gateway.Limits;

namespace Personalize.Gateway;

/// <summary>
/// The gateway's composition, once: <c>Program</c> runs it, and the memory probe (loadtests) hosts the
/// very same application in its own process to measure it.
/// </summary>
public static class GatewayApp
{
    /// <param name="configure">Extra settings or services applied before the gateway's own wiring reads them.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings ship beside the binary, so the gateway behaves the same from any working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.AddPersonalizeGateway();
        builder.AddPersonalizeLimits();

        var app = builder.Build();
        app.UsePersonalizeLimits();
        app.MapPersonalizeGateway();
        return app;
    }
}
