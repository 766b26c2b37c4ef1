using System.Net;
using System.Net.Sockets;
using Orleans.TestingHost;

namespace Personalize.Hosting.Tests;

internal static class TestClusters
{
    /// <summary>A one-silo in-process cluster whose only storage wiring is AddPersonalizeStorage.</summary>
    public static async Task<InProcessTestCluster> StartAsync(string provider, string connectionString, string serviceId)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) => silo.AddPersonalizeStorage(provider, connectionString));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A fresh directory for SQLite files, removed with the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"personalize-test-{Guid.NewGuid():N}");

    public string SqliteConnectionString(string file = "personalize.db") =>
        $"Data Source={System.IO.Path.Combine(Path, "nested", file)}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
