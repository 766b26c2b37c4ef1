using System.Diagnostics;
using System.Text.Json;
using Personalize.TestSupport;

namespace Personalize.EndToEnd.Tests;

/// <summary>
/// The memory probe (loadtests/Personalize.Benchmarks, verb <c>memory</c>) at a tiny scale, so CI proves
/// it still runs end to end: gateway in-process, connections from a second process, memory.json written.
/// The figures themselves are for docs/perf, measured at full scale on a quiet machine.
/// </summary>
public sealed class MemoryProbeSmokeTests
{
    [Fact]
    public async Task Probe_writes_positive_finite_figures_for_grains_full_grains_connections_and_the_echo_floor()
    {
        var output = Directory.CreateTempSubdirectory("memory-probe-test-");
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { BenchmarksDll(), "memory", "--grains", "500", "--full", "5", "--connections", "50", "--settle", "2", "--out", output.FullName })
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0, $"probe failed:\n{await stdout}\n{await stderr}");

            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output.FullName, "memory.json")));
            var root = report.RootElement;
            foreach (var (headline, section, count) in new[] { ("bytesPerGrain", "grains", 500), ("bytesPerFullGrain", "fullGrains", 5), ("bytesPerConnection", "connections", 50), ("bytesPerEchoConnection", "echoConnections", 50) })
            {
                var figure = root.GetProperty(headline).GetDouble();
                Assert.True(double.IsFinite(figure) && figure > 0, $"{headline} = {figure}");
                Assert.Equal(figure, root.GetProperty(section).GetProperty("bytesPerItem").GetDouble());
                Assert.Equal(count, root.GetProperty(section).GetProperty("count").GetInt32());
                Assert.True(root.GetProperty(section).GetProperty("session").GetArrayLength() > 0);
            }
            // The clients' process reports what it holds per client: the storefront's side of a connection.
            var client = root.GetProperty("bytesPerClient").GetDouble();
            Assert.True(double.IsFinite(client) && client > 0, $"bytesPerClient = {client}");
            Assert.Equal(client, root.GetProperty("connections").GetProperty("clientBytesPerItem").GetDouble());
            Assert.True(root.GetProperty("grains").GetProperty("activationsAfter").GetInt32()
                - root.GetProperty("grains").GetProperty("activationsBefore").GetInt32() >= 500);
            Assert.Contains("idle SignalR connection", await stdout);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>The probe built with the same configuration as this test assembly.</summary>
    private static string BenchmarksDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Path.Combine(ServiceProcess.RepositoryRoot(), "loadtests", "Personalize.Benchmarks", "bin", configuration, "net10.0", "Personalize.Benchmarks.dll");
    }
}
