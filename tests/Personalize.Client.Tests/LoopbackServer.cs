using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Client.Tests;

/// <summary>A web app on a free loopback port for one test class, stopped with it.</summary>
public sealed class LoopbackServer(WebApplication app) : IAsyncDisposable
{
    public WebApplication App { get; } = app;

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<LoopbackServer> StartAsync(WebApplication app)
    {
        var server = new LoopbackServer(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    public PersonalizeClient Client(string shopperId, bool reportShown = false) => new(new PersonalizeClientOptions
    {
        BaseUrl = BaseUrl,
        AccessTokenProvider = () => Task.FromResult<string?>("echo." + shopperId),
        ReportShown = reportShown,
        TrackRetryDelay = TimeSpan.FromMilliseconds(20),
    });

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

internal static class Eventually
{
    public static async Task<T> Within<T>(Task<T> task, int seconds = 10)
    {
        var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds)));
        Assert.True(finished == task, $"Nothing within {seconds} s.");
        return await task;
    }
}
