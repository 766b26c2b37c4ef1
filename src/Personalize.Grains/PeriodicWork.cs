using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// The timed loops of a silo's background services: the per-process collectors (trigger stats,
/// referral funnel, NPS, purchase learning) flush their in-memory sums once a second, so no grain is
/// called per event, and the silo-local caches (trigger catalog, referral programme) poll for a new
/// version. A failed run is logged and simply runs again at the next tick; a collector's counts are kept.
/// </summary>
public static partial class PeriodicWork
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(Func<Task> work, TimeSpan interval, ILogger logger, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await work();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogDebugRunFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: a collector's last flush is FinalFlushAsync's.
        }
    }

    /// <summary>A collector's last flush at shutdown, bounded so a lost cluster cannot hold the stop.</summary>
    public static async Task FinalFlushAsync(Func<Task> flush, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await flush().WaitAsync(FinalFlushTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or OrleansException)
        {
            LogWarningFinalFlushFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Periodic work failed; it runs again at the next tick")]
    private static partial void LogDebugRunFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last flush at shutdown failed")]
    private static partial void LogWarningFinalFlushFailed(ILogger logger, Exception ex);
}
