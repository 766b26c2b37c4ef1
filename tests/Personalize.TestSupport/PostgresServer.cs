using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Personalize.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server for tests: initdb into a temporary directory, started on a free loopback
/// port with its unix socket in that directory, removed on dispose. Uses the Debian binaries under
/// /usr/lib/postgresql/*/bin. initdb refuses to run as root, so when the tests run as root the server
/// runs as the "postgres" user (created if missing) through runuser.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private static readonly SemaphoreSlim UserSetup = new(1, 1);

    private readonly string _binDirectory;
    private readonly string _rootDirectory;
    private readonly string _dataDirectory;
    private readonly bool _runAsPostgresUser;
    private bool _running;

    private PostgresServer(string binDirectory, string rootDirectory, int port, bool runAsPostgresUser)
    {
        _binDirectory = binDirectory;
        _rootDirectory = rootDirectory;
        _dataDirectory = Path.Combine(rootDirectory, "data");
        _runAsPostgresUser = runAsPostgresUser;
        Port = port;
    }

    /// <summary>The loopback TCP port the server listens on (kept across <see cref="RestartAsync"/>).</summary>
    public int Port { get; }

    /// <summary>The server's data directory (inside a temporary root that dispose deletes).</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>Connection string of the server's "postgres" maintenance database.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    /// <summary>Creates, initialises and starts a server. Takes one to two seconds.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var binDirectory = FindBinDirectory();
        var runAsPostgresUser = Environment.IsPrivilegedProcess;
        if (runAsPostgresUser)
        {
            await EnsurePostgresUserAsync(cancellationToken);
        }

        var root = Path.Combine(Path.GetTempPath(), $"personalize-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var server = new PostgresServer(binDirectory, root, FreeLoopbackPort(), runAsPostgresUser);
        try
        {
            if (runAsPostgresUser)
            {
                await RunAsync("chown", ["-R", $"{SuperUser}:", root], cancellationToken);
            }

            // Trust auth on loopback only; --no-sync because a test cluster never needs to survive a power cut.
            await server.RunToolAsync("initdb",
                ["-D", server._dataDirectory, "-U", SuperUser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
                cancellationToken);
            await server.StartServerAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a database and returns its connection string; give each test its own.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        name ??= $"db_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionStringFor(name);
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        Timeout = 15,
    }.ConnectionString;

    /// <summary>Stops the server abruptly (as a crash would) and starts it again on the same data and port.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartServerAsync(cancellationToken);
    }

    /// <summary>Stops the server with immediate mode: no checkpoint, clients cut off, recovery on next start.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (!_running)
        {
            return;
        }

        await RunToolAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], cancellationToken);
        _running = false;
    }

    /// <summary>Starts a server stopped by <see cref="StopAsync"/>.</summary>
    public Task StartServerAsync(CancellationToken cancellationToken = default)
    {
        if (_running)
        {
            return Task.CompletedTask;
        }

        var options = string.Join(' ',
            $"-p {Port}",
            $"-k {_rootDirectory}",
            "-c listen_addresses=127.0.0.1",
            "-c max_connections=300",
            // Speed without lying about commits: fsync off still writes WAL to the OS before a commit returns,
            // so an immediate stop (a process crash, not a power cut) keeps every acknowledged transaction.
            // synchronous_commit must stay on: off would leave commits in shared memory, lost on a restart.
            "-c fsync=off",
            "-c full_page_writes=off");
        return StartCoreAsync(options, cancellationToken);
    }

    private async Task StartCoreAsync(string options, CancellationToken cancellationToken)
    {
        await RunToolAsync("pg_ctl",
            ["-D", _dataDirectory, "-o", options, "-l", Path.Combine(_rootDirectory, "server.log"), "-w", "-t", "60", "start"],
            cancellationToken);
        _running = true;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (Directory.Exists(_rootDirectory))
            {
                Directory.Delete(_rootDirectory, recursive: true);
            }
        }
    }

    private Task RunToolAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_binDirectory, tool);
        return _runAsPostgresUser
            ? RunAsync("runuser", ["-u", SuperUser, "--", path, .. arguments], cancellationToken)
            : RunAsync(path, arguments, cancellationToken);
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(c => File.Exists(Path.Combine(c.Dir, "initdb")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0].Dir
            : throw new InvalidOperationException(
                $"No PostgreSQL server binaries under {root}/*/bin (install the Debian package postgresql).");
    }

    private static async Task EnsurePostgresUserAsync(CancellationToken cancellationToken)
    {
        await UserSetup.WaitAsync(cancellationToken);
        try
        {
            if (await TryRunAsync("id", ["-u", SuperUser], cancellationToken))
            {
                return;
            }

            await RunAsync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SuperUser], cancellationToken);
        }
        finally
        {
            UserSetup.Release();
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output) = await ExecuteAsync(fileName, arguments, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{fileName} {string.Join(' ', arguments)}' exited with {exitCode}:{Environment.NewLine}{output}");
        }
    }

    private static async Task<bool> TryRunAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        (await ExecuteAsync(fileName, arguments, cancellationToken)).ExitCode == 0;

    private static async Task<(int ExitCode, string Output)> ExecuteAsync(
        string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start '{fileName}'.");
        // pg_ctl start leaves the server holding inherited pipes open, so read until exit, not until EOF.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var output = (stdout.IsCompleted ? await stdout : "") + (stderr.IsCompleted ? await stderr : "");
        return (process.ExitCode, output);
    }
}
