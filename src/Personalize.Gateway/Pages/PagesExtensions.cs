using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Personalize.Gateway.Pages;

/// <summary>
/// The gateway's pages (CONTRACT.md §5): the storefront SDK, the marketer console and, when
/// <c>Personalize:Demo:Enabled</c>, the demo shop. Each folder of <c>wwwroot</c> is served on its own,
/// so the demo's files do not exist at all when the demo is off.
/// </summary>
public static class PagesExtensions
{
    public const string DemoEnabledKey = "Personalize:Demo:Enabled";

    /// <summary>
    /// On in the embedded default as <c>dotnet run</c> starts it (Development, gateway hosting its silo);
    /// off anywhere else unless configured, because <c>/demo/token</c> mints tokens for anyone.
    /// </summary>
    public static bool DemoOnByDefault(WebApplication app) =>
        app.Environment.IsDevelopment()
        && !(app.Configuration.GetSection(Personalize.Hosting.ClusterSettings.Section).Get<Personalize.Hosting.ClusterSettings>()?.IsClient ?? false);

    public static WebApplication MapPersonalizePages(this WebApplication app)
    {
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");

        // The SDK is revalidated on every load (ETag) so a deploy reaches storefronts at once.
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".ts"] = "application/typescript; charset=utf-8";
        Serve(app, webRoot, "sdk", types, noCache: true);

        Serve(app, webRoot, "console", types, noCache: true);
        MapPage(app, "/console", Path.Combine(webRoot, "console", "index.html"));

        if (app.Configuration.GetValue(DemoEnabledKey, defaultValue: DemoOnByDefault(app)))
        {
            Serve(app, webRoot, "demo", types, noCache: true);
            MapPage(app, "/demo", Path.Combine(webRoot, "demo", "index.html"));
            app.MapDemoShop();
        }
        return app;
    }

    private static void Serve(WebApplication app, string webRoot, string folder, IContentTypeProvider types, bool noCache) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(webRoot, folder)),
            RequestPath = "/" + folder,
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                if (noCache) context.Context.Response.Headers.CacheControl = "no-cache";
            },
        });

    /// <summary>The page at <paramref name="path"/> (routing matches the trailing-slash form too).</summary>
    private static void MapPage(WebApplication app, string path, string file) =>
        app.MapGet(path, (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            return TypedResults.PhysicalFile(file, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
}
