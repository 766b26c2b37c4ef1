namespace Personalize.Hosting.Tests;

/// <summary>
/// What the Orleans 10.4.2 ADO.NET providers read from OrleansQuery and which parameters each query
/// receives (RelationalOrleansQueries.cs, AdoNetGrainStorage.cs, DbStoredQueries.cs). Kept here, apart
/// from the embedded SQL, so the tests check the scripts against the providers and not against themselves.
/// </summary>
internal static class OrleansQueryContract
{
    private static readonly string[] GrainIdentity =
        ["GrainIdHash", "GrainIdN0", "GrainIdN1", "GrainTypeHash", "GrainTypeString", "GrainIdExtensionString", "ServiceId"];

    private static readonly string[] SiloAddress = ["DeploymentId", "Address", "Port", "Generation"];

    public static readonly IReadOnlyDictionary<string, string[]> Persistence = new Dictionary<string, string[]>
    {
        ["ReadFromStorageKey"] = GrainIdentity,
        ["WriteToStorageKey"] = [.. GrainIdentity, "GrainStateVersion", "PayloadBinary"],
        ["ClearStorageKey"] = [.. GrainIdentity, "GrainStateVersion"],
        ["DeleteStorageKey"] = [.. GrainIdentity, "GrainStateVersion"],
    };

    public static readonly IReadOnlyDictionary<string, string[]> Reminders = new Dictionary<string, string[]>
    {
        ["ReadReminderRowsKey"] = ["ServiceId", "GrainId"],
        ["ReadReminderRowKey"] = ["ServiceId", "GrainId", "ReminderName"],
        ["ReadRangeRows1Key"] = ["ServiceId", "BeginHash", "EndHash"],
        ["ReadRangeRows2Key"] = ["ServiceId", "BeginHash", "EndHash"],
        ["UpsertReminderRowKey"] = ["ServiceId", "GrainHash", "GrainId", "ReminderName", "StartTime", "Period"],
        ["DeleteReminderRowKey"] = ["ServiceId", "GrainId", "ReminderName", "Version"],
        ["DeleteReminderRowsKey"] = ["ServiceId"],
    };

    public static readonly IReadOnlyDictionary<string, string[]> Clustering = new Dictionary<string, string[]>
    {
        ["GatewaysQueryKey"] = ["DeploymentId", "Status"],
        ["MembershipReadRowKey"] = SiloAddress,
        ["MembershipReadAllKey"] = ["DeploymentId"],
        ["InsertMembershipVersionKey"] = ["DeploymentId"],
        ["UpdateIAmAlivetimeKey"] = [.. SiloAddress, "IAmAliveTime"],
        ["InsertMembershipKey"] =
            [.. SiloAddress, "SiloName", "HostName", "Status", "ProxyPort", "StartTime", "IAmAliveTime", "Version"],
        ["UpdateMembershipKey"] = [.. SiloAddress, "Status", "SuspectTimes", "IAmAliveTime", "Version"],
        ["DeleteMembershipTableEntriesKey"] = ["DeploymentId"],
        ["CleanupDefunctSiloEntriesKey"] = ["DeploymentId", "IAmAliveTime"],
    };
}
