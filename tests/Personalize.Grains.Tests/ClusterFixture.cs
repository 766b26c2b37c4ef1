using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Orleans.TestingHost;
using Personalize.Grains;

namespace Personalize.Grains.Tests;

/// <summary>
/// One in-process Orleans test cluster for the grain tests, with memory storage and a fake clock.
/// Tests share the catalog, so each one keys its triggers to ids only it uses.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
    public const int MaxPerShopperPerHour = 4;

    public TestCluster Cluster { get; private set; } = null!;
    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Makes every silo pick up the catalog now instead of at its next poll.</summary>
    public async Task RefreshCatalogAsync()
    {
        foreach (var silo in Cluster.GetActiveSilos().OfType<InProcessSiloHandle>())
            await silo.SiloHost.Services.GetRequiredService<TriggerCatalogCache>().RefreshAsync();
    }

    /// <summary>Sends every silo's aggregated trigger counters to their stats grains now instead of within a second.</summary>
    public async Task FlushStatsAsync()
    {
        foreach (var silo in Cluster.GetActiveSilos().OfType<InProcessSiloHandle>())
            await silo.SiloHost.Services.GetRequiredService<TriggerStatsCollector>().FlushAsync();
    }

    /// <summary>The reminders stored for a grain.</summary>
    public async Task<IReadOnlyList<ReminderEntry>> ReadRemindersAsync(GrainId grain)
    {
        var silo = Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First();
        return [.. (await silo.SiloHost.Services.GetRequiredService<IReminderTable>().ReadRows(grain)).Reminders];
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Personalize:Nudges:MaxPerShopperPerHour"] = MaxPerShopperPerHour.ToString(),
            }).Build();
            silo.AddMemoryGrainStorage(FaultyStorage.Inner);
            silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorage.Default,
                (sp, _) => new FaultyStorage(sp.GetRequiredKeyedService<IGrainStorage>(FaultyStorage.Inner)));
            silo.UseInMemoryReminderService();
            silo.AddIncomingGrainCallFilter<LostAnswers>();
            // The product's clock only: Orleans keeps real time for its own timeouts and membership.
            silo.Services.AddKeyedSingleton<TimeProvider>(ProductClock.Key, Clock);
            silo.Services.AddPersonalizeGrains(configuration);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
