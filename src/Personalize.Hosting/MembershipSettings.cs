namespace Personalize.Hosting;

/// <summary>
/// <c>Personalize:Cluster:Membership</c>: failure detection. Orleans' defaults (10 s probes, 3 misses,
/// a 2-minute vote window) take 30-60 s to declare a killed silo dead, and until then every call to a
/// grain that lived there fails. A killed process refuses connections at once, so probes fail fast and
/// the limit is how many probe periods we wait: 2 s × 3 misses ≈ 6 s, then two votes (with three silos,
/// both survivors probe it). Missing 3 probes of 2 s each needs a silo stalled for 6 s, which a garbage
/// collection or a busy 2-core machine does not do.
/// </summary>
public sealed class MembershipSettings
{
    /// <summary>Probe period and per-probe timeout (Orleans default 10 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Missed probes before a silo suspects another (default 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 3;
    /// <summary>Suspicions needed to declare a silo dead (default 2; a one-silo cluster needs only its own).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 2;
    /// <summary>
    /// How long a suspicion counts (default 2 min). Long enough to collect the second vote after the
    /// first, short enough that old suspicions of a silo that recovered do not add up to a false death.
    /// </summary>
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromSeconds(20);
    /// <summary>
    /// Heartbeat written to the table (default 30 s). Silos joining and clients use it to skip members that
    /// stopped writing it; the probes, not this, detect a death, so 5 s costs one small UPDATE per silo.
    /// </summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Periodic re-read of the table (default 60 s); changes are gossiped at once anyway.</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How often a client re-reads the gateway list (Orleans default 1 min).</summary>
    public TimeSpan GatewayListRefreshPeriod { get; set; } = TimeSpan.FromSeconds(5);

    public void ApplyTo(Orleans.Configuration.ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = ProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        options.DeathVoteExpirationTimeout = DeathVoteExpirationTimeout;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
        options.TableRefreshTimeout = TableRefreshTimeout;
    }

    public IEnumerable<string> Problems()
    {
        if (ProbeTimeout <= TimeSpan.Zero) yield return "ProbeTimeout must be positive";
        if (NumMissedProbesLimit < 1) yield return "NumMissedProbesLimit must be at least 1";
        if (NumVotesForDeathDeclaration < 1) yield return "NumVotesForDeathDeclaration must be at least 1";
        if (DeathVoteExpirationTimeout <= ProbeTimeout * NumMissedProbesLimit)
            yield return "DeathVoteExpirationTimeout must exceed ProbeTimeout × NumMissedProbesLimit, or no second vote is ever counted";
        if (IAmAliveTablePublishTimeout <= TimeSpan.Zero) yield return "IAmAliveTablePublishTimeout must be positive";
        if (TableRefreshTimeout <= TimeSpan.Zero) yield return "TableRefreshTimeout must be positive";
        if (GatewayListRefreshPeriod <= TimeSpan.Zero) yield return "GatewayListRefreshPeriod must be positive";
    }
}
