using Orleans.Messaging;

namespace Personalize.Hosting.Storage;

/// <summary>
/// Client-side wrapper of the ADO.NET gateway list provider that installs the schema before the provider
/// reads its queries, so a gateway started before any silo meets an empty list of gateways (which the
/// client's connection retry handles) rather than a missing OrleansQuery table.
/// </summary>
internal sealed class SchemaInstallingGatewayListProvider(
    IGatewayListProvider inner, SchemaInstaller installer, SchemaTarget target) : IGatewayListProvider
{
    public TimeSpan MaxStaleness => inner.MaxStaleness;

    [Obsolete("This attribute is no longer used and all providers are considered updatable")]
    public bool IsUpdatable => true;

    public async Task InitializeGatewayListProvider()
    {
        await installer.InstallAsync(target.Dialect, target.ConnectionString);
        await inner.InitializeGatewayListProvider();
    }

    public Task<IList<Uri>> GetGateways() => inner.GetGateways();
}
