using System.Diagnostics;
using System.Security.Cryptography;

namespace Personalize.LoadTests.Targets;

/// <summary>Starts the echo server and the self-hosted gateway once per run and stops them at the end.</summary>
/// <param name="buildGateway">Build the gateway before starting it, so the run measures the current code.</param>
public sealed class TargetHosts(string reportDir, bool buildGateway, Action<string> say) : IAsyncDisposable
{
    private ChildProcess? _echo;
    private ChildProcess? _gateway;
    private Target? _echoTarget;
    private Target? _gatewayTarget;

    public async Task<Target> EchoAsync(CancellationToken cancellationToken)
    {
        if (_echoTarget is not null)
        {
            return _echoTarget;
        }
        var dll = RepoPaths.FindBuiltDll("loadtests/Personalize.EchoServer", "Personalize.EchoServer");
        if (dll is null)
        {
            // Normally built already: the load test project references it so `dotnet run` builds both.
            await BuildAsync("loadtests/Personalize.EchoServer", cancellationToken);
            dll = RepoPaths.FindBuiltDll("loadtests/Personalize.EchoServer", "Personalize.EchoServer")!;
        }
        say($"starting echo server ({dll})");
        _echo = await ChildProcess.StartAsync(dll, [], Path.Combine(reportDir, "echo-server.log"), TimeSpan.FromSeconds(30), cancellationToken);
        _echoTarget = new Target(Target.EchoKind, _echo.BaseUrl, StorefrontKey: "echo", MarketerKey: null);
        return _echoTarget;
    }

    /// <summary>
    /// The real gateway on SQLite in a temp folder, with keys made here so the load test knows them, and
    /// the global per-shopper push cap lifted: a load test's shoppers get far more than 4 pushes an hour.
    /// </summary>
    public async Task<Target> GatewayAsync(string? gatewayDll, CancellationToken cancellationToken)
    {
        if (_gatewayTarget is not null)
        {
            return _gatewayTarget;
        }
        var dll = gatewayDll;
        if (dll is null)
        {
            if (buildGateway || RepoPaths.FindBuiltDll("src/Personalize.Gateway", "Personalize.Gateway") is null)
            {
                await BuildAsync("src/Personalize.Gateway", cancellationToken);
            }
            dll = RepoPaths.FindBuiltDll("src/Personalize.Gateway", "Personalize.Gateway")
                ?? throw new InvalidOperationException("Personalize.Gateway.dll not found after building it.");
        }
        var dataDir = Directory.CreateTempSubdirectory("personalize-lt-").FullName;
        var marketerKey = RandomKey(32);
        var storefrontKey = RandomKey(32);
        string[] args =
        [
            "--Personalize:Storage:Provider=Sqlite",
            $"--ConnectionStrings:Personalize=Data Source={Path.Combine(dataDir, "lt.db")}",
            $"--Personalize:Auth:MarketerApiKeys:0={marketerKey}",
            $"--Personalize:Auth:StorefrontApiKeys:0={storefrontKey}",
            $"--Personalize:Auth:ShopperTokenSigningKey={RandomKey(48)}",
            "--Personalize:Nudges:MaxPerShopperPerHour=1000000",
            // One storefront key mints every shopper's token and seeds the storm: thousands of requests a
            // second from one key is the load test, not abuse.
            "--Personalize:Limits:RequestsPerSecondPerKey=100000",
            "--Personalize:Limits:RequestBurstPerKey=100000",
            // The demo seeds triggers of its own; a measured run must push only on its own trigger.
            "--Personalize:Demo:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
        ];
        say($"starting gateway ({dll}), data in {dataDir}");
        _gateway = await ChildProcess.StartAsync(dll, args, Path.Combine(reportDir, "gateway.log"), TimeSpan.FromSeconds(60), cancellationToken);
        _gatewayTarget = new Target(Target.GatewayKind, _gateway.BaseUrl, storefrontKey, marketerKey);
        return _gatewayTarget;
    }

    public async ValueTask DisposeAsync()
    {
        if (_echo is not null)
        {
            await _echo.DisposeAsync();
        }
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    private async Task BuildAsync(string projectDir, CancellationToken cancellationToken)
    {
        say($"building {projectDir} (Release)");
        var info = new ProcessStartInfo("dotnet", ["build", "-c", "Release", "--nologo", "-v", "q", projectDir])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet build.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build {projectDir} failed:\n{await output}\n{await errors}");
        }
    }

    private static string RandomKey(int length) =>
        RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", length);
}
