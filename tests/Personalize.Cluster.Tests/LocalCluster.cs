using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Personalize.TestSupport;

namespace Personalize.Cluster.Tests;

/// <summary>
/// The cluster scripts/cluster.sh starts, as test-owned processes: a throwaway PostgreSQL, silos (own
/// loopback ports, advertising 127.0.0.1) and gateways in Client mode, all on one fresh database.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    private readonly string _workingDirectory = Directory.CreateTempSubdirectory("personalize-cluster-").FullName;
    private int _silosStarted;
    private int _gatewaysStarted;

    private LocalCluster(PostgresServer postgres, string connectionString)
    {
        Postgres = postgres;
        ConnectionString = connectionString;
    }

    public PostgresServer Postgres { get; }
    public string ConnectionString { get; }
    public List<ServiceProcess> Silos { get; } = [];
    public List<ServiceProcess> Gateways { get; } = [];
    public string ClusterId { get; } = "test-" + RandomNumberGenerator.GetHexString(8, lowercase: true);
    public string MarketerKey { get; } = "mk-" + RandomNumberGenerator.GetHexString(24);
    public string StorefrontKey { get; } = "sk-" + RandomNumberGenerator.GetHexString(24);
    public string SigningKey { get; } = RandomNumberGenerator.GetHexString(48);

    /// <summary>PostgreSQL, then all silos at once (they race to install the schema), then the gateways.</summary>
    public static async Task<LocalCluster> StartAsync(int silos, int gateways)
    {
        var cluster = await EmptyAsync();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, silos).Select(_ => cluster.AddSiloAsync()));
            await Task.WhenAll(Enumerable.Range(0, gateways).Select(_ => cluster.AddGatewayAsync()));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>PostgreSQL and a fresh database, no processes yet.</summary>
    public static async Task<LocalCluster> EmptyAsync()
    {
        var postgres = await PostgresServer.StartAsync();
        try
        {
            return new LocalCluster(postgres, await postgres.CreateDatabaseAsync());
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    public async Task<ServiceProcess> AddSiloAsync()
    {
        var settings = CommonSettings();
        settings["Personalize:Cluster:SiloPort"] = ServiceProcess.FreePort().ToString();
        settings["Personalize:Cluster:GatewayPort"] = ServiceProcess.FreePort().ToString();
        settings["Personalize:Cluster:AdvertisedIp"] = "127.0.0.1";
        var silo = new ServiceProcess($"silo{Interlocked.Increment(ref _silosStarted)}", "Personalize.Silo", settings, _workingDirectory);
        lock (Silos) Silos.Add(silo);
        await silo.StartAsync();
        return silo;
    }

    public async Task<ServiceProcess> AddGatewayAsync()
    {
        var gateway = NewGateway();
        await gateway.StartAsync();
        return gateway;
    }

    /// <summary>A gateway in Client mode on this cluster, not started yet.</summary>
    public ServiceProcess NewGateway()
    {
        var settings = CommonSettings();
        settings["Personalize:Cluster:Mode"] = "Client";
        settings["Personalize:Auth:MarketerApiKeys:0"] = MarketerKey;
        settings["Personalize:Auth:StorefrontApiKeys:0"] = StorefrontKey;
        settings["Personalize:Auth:ShopperTokenSigningKey"] = SigningKey;
        var gateway = new ServiceProcess($"gateway{Interlocked.Increment(ref _gatewaysStarted)}", "Personalize.Gateway", settings, _workingDirectory);
        lock (Gateways) Gateways.Add(gateway);
        return gateway;
    }

    public HttpClient Http(ServiceProcess gateway, string apiKey)
    {
        var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    /// <summary>A shopper token, as a storefront backend gets one (any gateway can mint it).</summary>
    public async Task<string> TokenAsync(string shopperId)
    {
        using var http = Http(Gateways.First(g => g.IsRunning), StorefrontKey);
        var response = await http.PostAsJsonAsync("/api/shopper-tokens", new { shopperId, ttlSeconds = 3600 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>An offer pushed once per shopper when the product is in the basket.</summary>
    public async Task CreateOfferTriggerAsync(string id, string productId)
    {
        using var http = Http(Gateways.First(g => g.IsRunning), MarketerKey);
        var json = $$"""
            { "id": "{{id}}", "name": "Offer for {{productId}}", "priority": 10, "on": { "event": "add_to_cart" },
              "conditions": [ { "fact": "basket.hasProduct", "op": "eq", "value": "{{productId}}" } ],
              "action": { "type": "offer", "title": "10% off", "message": "Finish your order",
                          "discount": { "kind": "percent", "value": 10 }, "code": "SAVE10", "ttlSeconds": 1800 },
              "limits": { "maxPerShopper": 1 } }
            """;
        var response = await http.PostAsync("/api/triggers", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"trigger refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        // A catalog change reaches every silo within a second (CONTRACT.md §4).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
    }

    /// <summary>Everything the processes printed, for a failing assertion's message.</summary>
    public string Logs() => string.Join("\n", Silos.Concat(Gateways).Select(p => $"==== {p.Name}\n{Tail(p.Output)}"));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Gateways.Concat(Silos).Select(p => p.DisposeAsync().AsTask()));
        await Postgres.DisposeAsync();
        try { Directory.Delete(_workingDirectory, recursive: true); } catch (IOException) { }
    }

    private Dictionary<string, string> CommonSettings() => new()
    {
        ["ConnectionStrings:Personalize"] = ConnectionString,
        ["Personalize:Cluster:Clustering"] = "Postgres",
        ["Personalize:Cluster:ClusterId"] = ClusterId,
        ["Personalize:Storage:Provider"] = "Postgres",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Personalize.Hosting"] = "Information",
    };

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
