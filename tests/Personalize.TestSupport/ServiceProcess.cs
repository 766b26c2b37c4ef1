using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Personalize.TestSupport;

/// <summary>
/// One of the project's programs (gateway or silo) started as its own process from its build output,
/// configured through command-line settings, on a loopback HTTP port. Stops gracefully (SIGTERM) or hard
/// (SIGKILL), as an operator or a crash would.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly string _workingDirectory;
    private Process? _process;

    /// <param name="project">e.g. <c>Personalize.Silo</c>: the dll under src/&lt;project&gt;/bin, same configuration as the tests.</param>
    public ServiceProcess(string name, string project, IReadOnlyDictionary<string, string> settings, string workingDirectory)
    {
        Name = name;
        _dll = ProjectDll(project);
        _settings = settings;
        _workingDirectory = workingDirectory;
        BaseUrl = $"http://127.0.0.1:{FreePort()}";
    }

    public string Name { get; }
    public string BaseUrl { get; }
    public bool IsRunning => _process is { HasExited: false };
    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Personalize.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Personalize.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The program's dll built with the same configuration as the running test assembly (bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string ProjectDll(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(RepositoryRoot(), "src", project, "bin", configuration, "net10.0", project + ".dll");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the process and waits until <c>/health/ready</c> answers 200.</summary>
    public async Task StartAsync(TimeSpan? readyWithin = null)
    {
        Launch();
        await WaitReadyAsync(readyWithin ?? TimeSpan.FromSeconds(90));
    }

    /// <summary>Starts the process without waiting for it.</summary>
    public void Launch()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _workingDirectory };
        start.ArgumentList.Add(_dll);
        start.ArgumentList.Add($"--urls={BaseUrl}");
        foreach (var (key, value) in _settings) start.ArgumentList.Add($"--{key}={value}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public async Task WaitReadyAsync(TimeSpan within)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process is null || _process.HasExited) throw new InvalidOperationException($"{Name} exited:\n{Output}");
            if (await IsReadyAsync(http)) return;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{Name} not ready within {within.TotalSeconds} s:\n{Output}");
    }

    /// <summary>Whether <c>/health/ready</c> answers 200 right now.</summary>
    public async Task<bool> IsReadyAsync(HttpClient http) => await StatusAsync(http, "/health/ready") == 200;

    /// <summary>The HTTP status of a GET, or null while nothing listens.</summary>
    public async Task<int?> StatusAsync(HttpClient http, string path)
    {
        try
        {
            return (int)(await http.GetAsync(BaseUrl + path)).StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGTERM (the host shuts down in order) or SIGKILL (nothing runs after it).</summary>
    public async Task StopAsync(bool graceful = true)
    {
        if (_process is null || _process.HasExited) return;
        if (graceful) _ = Kill(_process.Id, 15);
        else _process.Kill();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await _process.WaitForExitAsync(timeout.Token);
    }

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    public async ValueTask DisposeAsync()
    {
        await StopAsync(graceful: false);
        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
