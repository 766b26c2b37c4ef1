using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// The once-a-second loop shared by the per-process collectors (trigger stats, referral funnel, NPS,
/// purchase learning): they sum counts in memory and call their flush here, so no grain is called per
/// event. A failed flush keeps its counts for the next one; a last flush runs at shutdown.
/// </summary>
public static partial class FlushLoop
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan FinalFlushTimeout = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(Func<Task> flush, ILogger logger, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await flush();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogDebugFlushFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the last flush is FinalAsync's.
        }
    }

    public static async Task FinalAsync(Func<Task> flush, ILogger logger, CancellationToken cancellationToken)
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "Flush failed; the counts are kept for the next one")]
    private static partial void LogDebugFlushFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The last flush at shutdown failed")]
    private static partial void LogWarningFinalFlushFailed(ILogger logger, Exception ex);
}
