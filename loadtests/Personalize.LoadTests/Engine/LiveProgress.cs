using System.Diagnostics;
using Spectre.Console;

namespace Personalize.LoadTests.Engine;

/// <summary>
/// Shows a running scenario once a second: a live table on a terminal, a plain line every five
/// seconds when output goes to a log (CI), where redrawing would only add noise.
/// </summary>
public sealed class LiveProgress(string name, ScenarioStats stats, Func<int> inFlight, TimeSpan plannedDuration)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly List<double> _timeline = [];
    private long _lastAcknowledged;

    /// <summary>Acknowledged per second, one entry per second of the run.</summary>
    public IReadOnlyList<double> Timeline => _timeline;

    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public async Task RunWhileAsync(Task work)
    {
        if (Interactive)
        {
            await AnsiConsole.Live(Render()).AutoClear(false).StartAsync(async ctx =>
            {
                while (!work.IsCompleted)
                {
                    await Task.WhenAny(work, Task.Delay(1000));
                    Sample();
                    ctx.UpdateTarget(Render());
                }
            });
        }
        else
        {
            var tick = 0;
            while (!work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(1000));
                Sample();
                if (++tick % 5 == 0 || work.IsCompleted)
                {
                    Console.WriteLine(Line());
                }
            }
        }
        await work;
    }

    private void Sample()
    {
        var acknowledged = stats.Acknowledged;
        _timeline.Add(acknowledged - _lastAcknowledged);
        _lastAcknowledged = acknowledged;
    }

    private string Line()
    {
        var push = stats.Push.Summarize();
        return $"  [{name}] {Stopwatch.GetElapsedTime(_started).TotalSeconds,5:0}s sent {stats.Sent} ack {stats.Acknowledged} " +
               $"({(_timeline.Count > 0 ? _timeline[^1] : 0):0}/s) in-flight {inFlight()} pushes {stats.PushesReceived}/{stats.PushesExpected} " +
               $"errors {stats.Errors} track p99 {stats.Track.Summarize().P99} ms push p99 {push.P99} ms";
    }

    private Table Render()
    {
        var track = stats.Track.Summarize();
        var push = stats.Push.Summarize();
        var elapsed = Stopwatch.GetElapsedTime(_started);
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(name)}[/]")
            .AddColumns("elapsed", "sent", "ack", "ack/s", "in-flight", "pushes", "errors", "track p50/p99 ms", "push p50/p99 ms");
        table.AddRow(
            $"{elapsed.TotalSeconds:0}/{plannedDuration.TotalSeconds:0} s",
            stats.Sent.ToString(),
            stats.Acknowledged.ToString(),
            (_timeline.Count > 0 ? _timeline[^1] : 0).ToString("0"),
            inFlight().ToString(),
            $"{stats.PushesReceived}/{stats.PushesExpected}",
            stats.Errors == 0 ? "0" : $"[red]{stats.Errors}[/]",
            $"{track.P50} / {track.P99}",
            $"{push.P50} / {push.P99}");
        return table;
    }
}
