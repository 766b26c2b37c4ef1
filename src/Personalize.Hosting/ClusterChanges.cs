using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Personalize.Hosting;

/// <summary>
/// When the cluster last changed shape (a silo joined, left or died; a client lost or gained a gateway).
/// Grains on a lost silo come back elsewhere without their in-memory observer subscriptions, so whoever
/// holds subscriptions renews them quickly for a while after a change instead of waiting for its timer.
/// </summary>
public sealed class ClusterChanges(TimeProvider time)
{
    private long _lastChangeTicks = DateTimeOffset.MinValue.UtcTicks;

    public DateTimeOffset LastChange => new(Interlocked.Read(ref _lastChangeTicks), TimeSpan.Zero);

    public void Notify() => Interlocked.Exchange(ref _lastChangeTicks, time.GetUtcNow().UtcTicks);
}

/// <summary>In a silo (dedicated or embedded): turns membership updates into <see cref="ClusterChanges"/>.</summary>
internal sealed partial class MembershipWatcher(
    IClusterMembershipService membership, ClusterChanges changes, ILogger<MembershipWatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        MembershipVersion? seen = null;
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                if (seen is not null && snapshot.Version > seen.Value)
                {
                    LogInformationMembershipChanged(snapshot.Version.Value,
                        string.Join(", ", snapshot.Members.Values.Select(m => $"{m.SiloAddress} {m.Status}")));
                    changes.Notify();
                }
                seen = snapshot.Version;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster membership version {Version}: {Members}")]
    private partial void LogInformationMembershipChanged(long version, string members);
}
