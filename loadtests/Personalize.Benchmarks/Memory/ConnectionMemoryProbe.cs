using System.Diagnostics;

namespace Personalize.Benchmarks.Memory;

/// <summary>
/// Memory per idle SignalR connection in the gateway: the connections are opened by another process
/// (this program's hidden <see cref="IdleConnections.Verb"/> verb) so client-side objects stay out of
/// the figure. Each connection's shopper grain is activated before the baseline, so the figure is what
/// a connection adds: Kestrel, the WebSocket, SignalR's connection, the authenticated user,
/// the gateway's subscription bookkeeping, and the observer entry at the grain.
/// </summary>
public static class ConnectionMemoryProbe
{
    private static readonly TimeSpan ConnectWithin = TimeSpan.FromMinutes(5);

    public static readonly IReadOnlyList<string> Description =
    [
        "one Personalize.Client (SignalR .NET client, WebSockets without the negotiate request) per shopper, from a separate process; a negotiating client also holds an idle keep-alive HTTP connection until Kestrel's keep-alive timeout (130 s), not counted here",
        "shopper token per connection (1 h), each connection a different shopper whose grain was already active",
        "connections idle (no calls) while measured; SignalR keep-alive pings continue",
    ];

    public static readonly IReadOnlyList<string> EchoDescription =
    [
        "the same clients, count and idle period against the bare SignalR echo server (loadtests/Personalize.EchoServer: Kestrel, the WebSocket transport and a hub; no authentication, middleware, grains or subscriptions), hosted in this process beside the gateway",
        "the floor under the gateway's figure on this runtime: what any SignalR connection costs before the product adds anything",
    ];

    public static async Task<MemorySection> MeasureAsync(ProbeGateway gateway, int count, TimeSpan settle, HistogramRecorder histograms)
    {
        var shoppers = Enumerable.Range(0, count).Select(i => $"conn-{i}").ToList();
        // The grains exist before the baseline: the connection figure must not include a shopper grain.
        await Task.WhenAll(shoppers.Select(s => gateway.Grains.GetGrain<IShopperGrain>(s).GetStateAsync()));
        return await MeasureAsync(gateway.BaseUrl, shoppers.Select(s => gateway.Tokens.Mint(s, 3600).Token), count, settle,
            histograms, "connections", Description);
    }

    /// <summary>The floor: the same measurement against the echo server, hosted in this process.</summary>
    public static async Task<MemorySection> MeasureEchoAsync(int count, TimeSpan settle, HistogramRecorder histograms)
    {
        var baseUrl = $"http://127.0.0.1:{ProbeGateway.FreePort()}";
        await using var echo = EchoServer.EchoApp.Build([$"--Urls={baseUrl}", "--Logging:LogLevel:Default=Warning"]);
        await echo.StartAsync();
        try
        {
            return await MeasureAsync(baseUrl, Enumerable.Range(0, count).Select(i => EchoServer.EchoTokens.Mint($"conn-{i}")), count, settle,
                histograms, "connections-echo", EchoDescription);
        }
        finally
        {
            await echo.StopAsync();
        }
    }

    private static async Task<MemorySection> MeasureAsync(string baseUrl, IEnumerable<string> tokenList, int count, TimeSpan settle,
        HistogramRecorder histograms, string name, IReadOnlyList<string> description)
    {
        var tokens = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(tokens, tokenList);
            // Warm-up: the first connections pay for JIT and pools once.
            await using (var warm = await ClientProcess.StartAsync(baseUrl, tokens, Math.Min(count, 20)))
            {
                await warm.CloseAsync();
            }
            await Task.Delay(settle);
            var before = await HeapGauge.ReadAsync();
            await histograms.BeforeAsync();
            var started = DateTimeOffset.UtcNow;
            await using var clients = await ClientProcess.StartAsync(baseUrl, tokens, count);
            var elapsed = DateTimeOffset.UtcNow - started;
            await Task.Delay(settle);
            var after = await HeapGauge.ReadAsync();
            await histograms.AfterAsync(name, count);
            await clients.CloseAsync();
            return MemorySection.From(count, before, after, null, null, description, elapsed) with { ClientBytesPerItem = clients.BytesPerClient };
        }
        finally
        {
            File.Delete(tokens);
        }
    }

    /// <summary>The child process holding the connections; closing its stdin closes them.</summary>
    private sealed class ClientProcess : IAsyncDisposable
    {
        private readonly Process _process;

        private ClientProcess(Process process) => _process = process;

        /// <summary>Managed bytes the client process holds per open client, as it reported them.</summary>
        public double BytesPerClient { get; private set; }

        public static async Task<ClientProcess> StartAsync(string baseUrl, string tokensFile, int count)
        {
            var info = new ProcessStartInfo
            {
                FileName = Environment.ProcessPath ?? "dotnet",
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            // Under `dotnet Personalize.Benchmarks.dll` the process is the host; under `dotnet run` the apphost.
            if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet") info.ArgumentList.Add(typeof(ClientProcess).Assembly.Location);
            foreach (var arg in new[] { IdleConnections.Verb, "--url", baseUrl, "--tokens", tokensFile, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture) })
                info.ArgumentList.Add(arg);
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the client process");
            var child = new ClientProcess(process);
            using var timeout = new CancellationTokenSource(ConnectWithin);
            try
            {
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    if (!line.StartsWith(IdleConnections.Ready, StringComparison.Ordinal)) continue;
                    var figures = line[(IdleConnections.Ready.Length + 1)..].Split(' ');
                    var opened = int.Parse(figures[0], System.Globalization.CultureInfo.InvariantCulture);
                    if (opened != count) throw new InvalidOperationException($"only {opened} of {count} connections opened");
                    child.BytesPerClient = double.Parse(figures[1], System.Globalization.CultureInfo.InvariantCulture);
                    return child;
                }
                throw new InvalidOperationException($"the client process ended before its connections were open (exit code {(process.HasExited ? process.ExitCode : -1)})");
            }
            catch
            {
                await child.DisposeAsync();
                throw;
            }
        }

        public async Task CloseAsync()
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await _process.WaitForExitAsync(timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                try
                {
                    await CloseAsync();
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            _process.Dispose();
        }
    }
}
