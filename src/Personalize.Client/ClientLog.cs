using Microsoft.Extensions.Logging;

namespace Personalize.Client;

internal static partial class ClientLog
{
    [LoggerMessage(1, LogLevel.Debug, "Track {EventId} failed on attempt {Attempt}; retrying with the same id")]
    public static partial void LogDebugTrackRetry(ILogger logger, string eventId, int attempt, Exception exception);

    [LoggerMessage(2, LogLevel.Debug, "Dropped repeated push {PushId}")]
    public static partial void LogDebugDuplicatePush(ILogger logger, string pushId);

    [LoggerMessage(3, LogLevel.Warning, "Reporting nudge_shown for push {PushId} failed")]
    public static partial void LogWarningShownFailed(ILogger logger, string pushId, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "A push handler for {Kind} threw")]
    public static partial void LogWarningHandlerFailed(ILogger logger, string kind, Exception exception);
}
