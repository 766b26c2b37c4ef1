using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Personalize.TestSupport;

namespace Personalize.EndToEnd.Tests;

/// <summary>
/// The real gateway (embedded silo, SQLite) started as its own process on free loopback ports, with
/// keys of the test's choosing. Stop and start again on the same data directory to test restarts.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    public GatewayProcess(string? dataDirectory = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("personalize-e2e-").FullName;
        Settings = settings ?? new Dictionary<string, string>();
        BaseUrl = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
    }

    public string DataDirectory { get; }
    public IReadOnlyDictionary<string, string> Settings { get; }
    public string BaseUrl { get; private set; }
    public string MarketerKey { get; } = "mk-" + RandomNumberGenerator.GetHexString(24);
    public string StorefrontKey { get; } = "sk-" + RandomNumberGenerator.GetHexString(24);
    public string SigningKey { get; } = RandomNumberGenerator.GetHexString(48);
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>The running gateway's process id (for its memory), or null when stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>
    /// Starts the gateway and waits until it is ready. A port found free can be taken by another process's
    /// outgoing connection before the gateway binds it (test classes start gateways side by side); a start
    /// that fails on a port already in use is tried again on new ports, up to three times in all. Any other
    /// failure is the test's.
    /// </summary>
    public async Task StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnceAsync();
                return;
            }
            catch (GatewayExitedException ex) when (attempt < 3 && ex.Message.Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                lock (_output) _output.Clear();
                BaseUrl = $"http://127.0.0.1:{ServiceProcess.FreePort()}";
            }
        }
    }

    private async Task StartOnceAsync()
    {
        var args = new Dictionary<string, string>
        {
            ["urls"] = BaseUrl,
            ["ConnectionStrings:Personalize"] = $"Data Source={Path.Combine(DataDirectory, "personalize.db")}",
            ["Personalize:Cluster:SiloPort"] = ServiceProcess.FreePort().ToString(),
            ["Personalize:Cluster:GatewayPort"] = ServiceProcess.FreePort().ToString(),
            ["Personalize:Auth:MarketerApiKeys:0"] = MarketerKey,
            ["Personalize:Auth:StorefrontApiKeys:0"] = StorefrontKey,
            ["Personalize:Auth:ShopperTokenSigningKey"] = SigningKey,
            ["Logging:LogLevel:Default"] = "Warning",
            // appsettings.json turns the demo shop on, and it seeds triggers that would answer every
            // test's add_to_cart and purchase; a test that wants the demo passes it in settings.
            ["Personalize:Demo:Enabled"] = "false",
        };
        foreach (var (key, value) in Settings) args[key] = value;

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = DataDirectory };
        start.ArgumentList.Add(ServiceProcess.ProjectDll("Personalize.Gateway"));
        foreach (var (key, value) in args) start.ArgumentList.Add($"--{key}={value}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new GatewayExitedException($"gateway exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync(BaseUrl + "/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("gateway not ready within 90 s:\n" + Output);
    }

    /// <summary>Stops the process: gracefully (SIGTERM, state flushed) or hard (SIGKILL).</summary>
    public async Task StopAsync(bool graceful = true)
    {
        if (_process is null || _process.HasExited) return;
        if (graceful) _ = Kill(_process.Id, 15);
        else _process.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        _process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(graceful: false);
        }
        finally
        {
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private sealed class GatewayExitedException(string message) : InvalidOperationException(message);
}
