using Orleans;
using Orleans.Runtime;

namespace Personalize.Hosting.Storage;

/// <summary>A database whose schema the silo must install before its providers start.</summary>
public sealed record SchemaTarget(SchemaDialect Dialect, string ConnectionString);

/// <summary>
/// Installs every registered <see cref="SchemaTarget"/> early in the silo lifecycle. The ADO.NET providers
/// read their OrleansQuery rows when they start: membership and reminders at RuntimeGrainServices, grain
/// storage at ApplicationServices. Running before RuntimeInitialize puts the schema ahead of all of them.
/// </summary>
internal sealed class SchemaInstallParticipant(SchemaInstaller installer, IEnumerable<SchemaTarget> targets)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public const int Stage = ServiceLifecycleStage.RuntimeInitialize - 100;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SchemaInstallParticipant), Stage, InstallAsync);

    private async Task InstallAsync(CancellationToken cancellationToken)
    {
        // Storage and clustering usually name the same database; install it once.
        foreach (var target in targets.Distinct())
        {
            await installer.InstallAsync(target.Dialect, target.ConnectionString, cancellationToken);
        }
    }
}
