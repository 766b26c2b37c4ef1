using Microsoft.Extensions.Logging;

namespace Personalize.Hosting;

/// <summary>
/// A gateway in <c>Client</c> mode keeps trying to reach the silos instead of exiting: in containers the
/// gateway may start before any silo has joined. It stays not-ready (<c>/health/ready</c>) meanwhile.
/// </summary>
internal sealed partial class ClusterConnectionRetry(ILogger<ClusterConnectionRetry> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogWarningClusterUnreachable(exception.Message);
        await Task.Delay(Delay, cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cluster is not reachable yet ({Reason}); retrying")]
    private partial void LogWarningClusterUnreachable(string reason);
}
