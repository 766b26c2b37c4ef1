using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Personalize.LoadTests.Targets;

/// <summary>
/// A server the load test starts (echo server or gateway): its output goes to a log file, it is
/// ready when <c>/health/ready</c> answers 200, and it is killed (by its own id) on dispose.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ChildProcess(Process process, StreamWriter log, Uri baseUrl)
    {
        _process = process;
        _log = log;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    /// <summary>
    /// Runtime settings for the servers only (not the load generator), <c>NAME=value</c> pairs separated by
    /// <c>;</c>, e.g. <c>DOTNET_GCName=libclrgc.so</c>: applied after the defaults <see cref="StartAsync"/> sets, so they can override them.
    /// </summary>
    public const string ServerEnvironmentVariable = "PERSONALIZE_LT_SERVER_ENV";

    /// <summary>Reads <see cref="ServerEnvironmentVariable"/>'s text; a pair without a name is refused, naming it.</summary>
    public static IReadOnlyList<(string Name, string Value)> ServerEnvironment(string? text)
    {
        var pairs = new List<(string, string)>();
        foreach (var pair in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0)
                throw new ArgumentException($"{ServerEnvironmentVariable}: '{pair}' is not NAME=value.", nameof(text));
            pairs.Add((pair[..eq].Trim(), pair[(eq + 1)..]));
        }
        return pairs;
    }

    public static async Task<ChildProcess> StartAsync(
        string dll, IEnumerable<string> extraArgs, string logPath, TimeSpan readyTimeout, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseUrl.ToString().TrimEnd('/'));
        foreach (var arg in extraArgs)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["DOTNET_gcServer"] = "0";
        // As the Dockerfiles ship it: a 64 MB gen0 budget (hex), far fewer collections under load. Another
        // budget for the servers only (not the load generator) is measured with PERSONALIZE_LT_SERVER_GEN0SIZE.
        info.Environment["DOTNET_GCgen0size"] = Environment.GetEnvironmentVariable("PERSONALIZE_LT_SERVER_GEN0SIZE") is { Length: > 0 } budget ? budget : "0x4000000";
        foreach (var (name, value) in ServerEnvironment(Environment.GetEnvironmentVariable(ServerEnvironmentVariable)))
        {
            info.Environment[name] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {dll}.");
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var child = new ChildProcess(process, log, baseUrl);
        try
        {
            await child.WaitReadyAsync(readyTimeout, logPath, cancellationToken);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, string logPath, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} before it was ready; see {logPath}.");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(BaseUrl, "/health/ready"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but slow to answer while it starts.
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new TimeoutException($"{BaseUrl}health/ready did not answer 200 within {timeout.TotalSeconds} s; see {logPath}.");
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
