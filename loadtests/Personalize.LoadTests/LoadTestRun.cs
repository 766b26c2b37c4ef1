using System.Diagnostics;
using Personalize.LoadTests.Engine;
using Personalize.LoadTests.Reporting;
using Personalize.LoadTests.Scenarios;
using Personalize.LoadTests.Targets;
using Spectre.Console;

namespace Personalize.LoadTests;

/// <summary>Runs the plan in order, starting the servers it needs, and writes the report.</summary>
public sealed class LoadTestRun(LoadTestOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var reportDir = Path.GetFullPath(options.ReportDir);
        Directory.CreateDirectory(reportDir);
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var plan = Plan.From(options);
        var results = new List<ScenarioResult>();

        // Enough sockets for thousands of token requests and the hub's negotiate calls.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(30) };
        await using (var hosts = new TargetHosts(reportDir, buildGateway: !options.NoBuild, Say))
        {
            foreach (var run in plan)
            {
                var settings = run.Adjust?.Invoke(results, run.Settings) ?? run.Settings;
                AnsiConsole.MarkupLine($"[bold]▶ {Markup.Escape(settings.ReportName)}[/] ({settings.Scenario}, {settings.Shoppers} shoppers)");
                ScenarioResult result;
                try
                {
                    var target = await TargetFor(settings, hosts, cancellationToken);
                    await using var scenario = Scenario.Create(settings, target, http, runId);
                    result = await ScenarioRunner.RunAsync(scenario, Say, cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // A scenario that cannot even start is a failed scenario, not a crashed run: the
                    // others still run and the report says what happened.
                    AnsiConsole.MarkupLine($"[red]{Markup.Escape(settings.ReportName)} could not run: {Markup.Escape(ex.Message)}[/]");
                    result = Failed(settings, ex);
                }
                var thresholds = run.Thresholds.Concat(run.ThresholdsFromEarlierRuns?.Invoke(results) ?? []);
                result = result with { Thresholds = thresholds.Select(t => t.Evaluate(result)).ToArray() };
                results.Add(result);
                PrintSummary(result);
            }
        }

        var report = new RunReport
        {
            RunId = runId,
            Profile = options.Profile ?? "custom",
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            Machine = MachineInfo.Current,
            Scenarios = results,
        };
        await report.WriteAsync(reportDir);
        AnsiConsole.MarkupLine($"report: {Markup.Escape(Path.Combine(reportDir, "report.html"))} (and .json, .md); {clock.Elapsed.TotalSeconds:0} s in all");
        AnsiConsole.MarkupLine(report.Passed ? "[green]all thresholds passed[/]" : "[red]threshold(s) failed[/]");
        return report.Passed ? 0 : 1;
    }

    private async Task<Target> TargetFor(ScenarioSettings settings, TargetHosts hosts, CancellationToken cancellationToken)
    {
        if (settings.Scenario == "echo" || options.Target == "echo")
        {
            return await hosts.EchoAsync(cancellationToken);
        }
        if (options.Target is { } url)
        {
            var storefrontKey = options.StorefrontKey ?? throw new ArgumentException("--storefront-key is needed with --target URL.");
            return new Target(Target.GatewayKind, new Uri(url), storefrontKey, options.MarketerKey);
        }
        if (options.SelfHost || options.Profile is not null)
        {
            return await hosts.GatewayAsync(options.GatewayDll, cancellationToken);
        }
        throw new ArgumentException($"{settings.Scenario} needs --target URL, --target echo or --self-host.");
    }

    private static ScenarioResult Failed(ScenarioSettings settings, Exception ex) => new()
    {
        Name = settings.ReportName, Scenario = settings.Scenario, Target = "-", Shoppers = settings.Shoppers, Simulations = [],
        DurationSeconds = 0, Sent = 0, Acknowledged = 0, PushesExpected = 0, PushesReceived = 0, UnexpectedPushes = 0, Lost = 0,
        Errors = 1, ErrorSamples = [$"{ex.GetType().Name}: {ex.Message}"], ThroughputPerSec = 0,
        LatencyMs = new LatencySet(LatencySummary.Empty, LatencySummary.Empty, LatencySummary.Empty),
        ThroughputTimeline = [], Curves = new Dictionary<string, IReadOnlyList<double[]>>(),
    };

    private static void PrintSummary(ScenarioResult r)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("", "value");
        table.AddRow("sent / ack", $"{r.Sent} / {r.Acknowledged}");
        table.AddRow("pushes expected / received / lost", $"{r.PushesExpected} / {r.PushesReceived} / {r.Lost}");
        table.AddRow("errors", r.Errors.ToString());
        table.AddRow("throughput/s (steady)", r.ThroughputPerSec.ToString("0.0"));
        table.AddRow("track ms p50/p75/p95/p99/max", Row(r.LatencyMs.Track));
        table.AddRow("event→push ms p50/p75/p95/p99/max", Row(r.LatencyMs.Push));
        if (r.LatencyMs.Connect.Count > 0)
        {
            table.AddRow("connect ms p50/p75/p95/p99/max", Row(r.LatencyMs.Connect));
        }
        foreach (var t in r.Thresholds)
        {
            table.AddRow(Markup.Escape(t.Name), t.Passed ? $"[green]pass[/] ({t.Actual})" : $"[red]FAIL[/] ({t.Actual})");
        }
        foreach (var e in r.ErrorSamples.Take(5))
        {
            table.AddRow("[red]error[/]", Markup.Escape(e));
        }
        AnsiConsole.Write(table);
    }

    private static string Row(LatencySummary l) => $"{l.P50} / {l.P75} / {l.P95} / {l.P99} / {l.Max}";

    private static void Say(string message) => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(message)}[/]");
}
