namespace Personalize.Hosting;

/// <summary><c>Personalize:Cluster</c> (CONTRACT.md §1).</summary>
public sealed class ClusterSettings
{
    public const string Section = "Personalize:Cluster";

    /// <summary><c>Embedded</c> (the gateway hosts a silo) or <c>Client</c> (joins a silo cluster).</summary>
    public string Mode { get; set; } = "Embedded";
    /// <summary><c>Localhost</c> or <c>Postgres</c>.</summary>
    public string Clustering { get; set; } = "Localhost";
    public string ClusterId { get; set; } = "dev";
    public string ServiceId { get; set; } = "personalize";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;
    /// <summary>
    /// The address a silo advertises to the others and to clients (<c>Postgres</c> clustering). Empty: this
    /// host's own address, right in a container; loopback clusters (scripts/cluster.sh, tests) say 127.0.0.1.
    /// </summary>
    public string AdvertisedIp { get; set; } = "";
    /// <summary>
    /// How long a grain call may take before it fails (Orleans default 30 s). A request in flight to a silo
    /// that is killed is never answered; the caller only learns by this timeout, and a SignalR connection's
    /// later calls queue behind it. Events take milliseconds, so 5 s fails only calls that are lost, and
    /// the storefront retries them (same event id: no double counting).
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>How fast a dead silo is noticed and declared dead (<c>Personalize:Cluster:Membership</c>).</summary>
    public MembershipSettings Membership { get; set; } = new();

    public bool IsClient => string.Equals(Mode, "Client", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<string> Problems()
    {
        if (!string.Equals(Mode, "Embedded", StringComparison.OrdinalIgnoreCase) && !IsClient)
            yield return $"{Section}:Mode must be Embedded or Client (was '{Mode}')";
        if (!string.Equals(Clustering, "Localhost", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(Clustering, "Postgres", StringComparison.OrdinalIgnoreCase))
            yield return $"{Section}:Clustering must be Localhost or Postgres (was '{Clustering}')";
        if (string.IsNullOrWhiteSpace(ClusterId)) yield return $"{Section}:ClusterId is required";
        if (string.IsNullOrWhiteSpace(ServiceId)) yield return $"{Section}:ServiceId is required";
        if (SiloPort is < 1 or > 65535) yield return $"{Section}:SiloPort must be 1..65535";
        if (GatewayPort is < 1 or > 65535) yield return $"{Section}:GatewayPort must be 1..65535";
        if (AdvertisedIp.Length > 0 && !System.Net.IPAddress.TryParse(AdvertisedIp, out _))
            yield return $"{Section}:AdvertisedIp must be an IP address (was '{AdvertisedIp}')";
        if (ResponseTimeout <= TimeSpan.Zero) yield return $"{Section}:ResponseTimeout must be positive";
        foreach (var problem in Membership.Problems()) yield return $"{Section}:Membership:{problem}";
    }
}

/// <summary><c>Personalize:Storage</c> and <c>ConnectionStrings:Personalize</c>.</summary>
public sealed class StorageSettings
{
    public const string Section = "Personalize:Storage";
    public const string ConnectionStringName = "Personalize";
    public const string DefaultConnectionString = "Data Source=data/personalize.db";

    /// <summary><c>Sqlite</c>, <c>Postgres</c> or <c>Memory</c> (tests only).</summary>
    public string Provider { get; set; } = "Sqlite";
}
