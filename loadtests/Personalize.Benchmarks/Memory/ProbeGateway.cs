using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Personalize.Gateway;
using Personalize.Gateway.Auth;

namespace Personalize.Benchmarks.Memory;

/// <summary>
/// The real gateway in this process, composed exactly as <c>Program</c> composes it (embedded silo,
/// SQLite grain storage in a temporary folder), on loopback ports of its own so it never meets a
/// gateway or test running beside it. Keys are generated per run.
/// </summary>
public sealed class ProbeGateway : IAsyncDisposable
{
    /// <summary>Longer than any probe runs: a grain collected mid-probe would make the figure too small.</summary>
    public static readonly TimeSpan CollectionAge = TimeSpan.FromHours(2);

    private readonly WebApplication _app;
    private readonly string _dataDirectory;

    private ProbeGateway(WebApplication app, string dataDirectory, string baseUrl, string marketerKey)
    {
        _app = app;
        _dataDirectory = dataDirectory;
        BaseUrl = baseUrl;
        MarketerKey = marketerKey;
    }

    public string BaseUrl { get; }
    public string MarketerKey { get; }
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();
    public ShopperTokens Tokens => _app.Services.GetRequiredService<ShopperTokens>();

    public static async Task<ProbeGateway> StartAsync(int maxPerShopperPerHour)
    {
        var data = Directory.CreateTempSubdirectory("personalize-memory-");
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var marketerKey = "mk_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        string[] args =
        [
            $"--Urls={baseUrl}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans=Error",
            $"--ConnectionStrings:Personalize=Data Source={Path.Combine(data.FullName, "personalize.db")}",
            "--Personalize:Cluster:Mode=Embedded",
            "--Personalize:Storage:Provider=Sqlite",
            $"--Personalize:Cluster:SiloPort={FreePort()}",
            $"--Personalize:Cluster:GatewayPort={FreePort()}",
            $"--Personalize:Cluster:ClusterId=memory-{Guid.NewGuid():N}",
            $"--Personalize:Auth:MarketerApiKeys:0={marketerKey}",
            $"--Personalize:Auth:StorefrontApiKeys:0=sk_{RandomNumberGenerator.GetHexString(32, lowercase: true)}",
            $"--Personalize:Auth:ShopperTokenSigningKey={RandomNumberGenerator.GetHexString(64, lowercase: true)}",
            $"--Personalize:Nudges:MaxPerShopperPerHour={maxPerShopperPerHour}",
        ];
        var app = GatewayApp.Build(args, builder =>
            builder.Services.Configure<GrainCollectionOptions>(o => o.CollectionAge = CollectionAge));
        await app.StartAsync();
        return new ProbeGateway(app, data.FullName, baseUrl, marketerKey);
    }

    public async Task<int> ActivationCountAsync() =>
        await Grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless; failing the probe over it is not.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
