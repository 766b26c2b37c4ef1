using Personalize.Hosting.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Personalize.Hosting.Tests;

/// <summary>Grain state and reminders through AddPersonalizeStorage("Sqlite", ...) on a real file.</summary>
public sealed class SqliteStorageTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _serviceId = $"svc-{Guid.NewGuid():N}";

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Schema_is_installed_before_the_providers_read_their_queries()
    {
        // The file and its folder do not exist yet: had the providers started first, they would have failed
        // on a missing OrleansQuery table and the silo would not have started.
        var connectionString = _directory.SqliteConnectionString();
        Assert.False(Directory.Exists(Path.GetDirectoryName(new SqliteConnectionStringBuilder(connectionString).DataSource)));

        await using var cluster = await TestClusters.StartAsync("Sqlite", connectionString, _serviceId);

        Assert.Equal(1, await cluster.Client.GetGrain<ICounterGrain>("first").Increment());
    }

    [Fact]
    public async Task State_survives_a_cluster_restart_on_the_same_file()
    {
        var connectionString = _directory.SqliteConnectionString();
        await using (var first = await TestClusters.StartAsync("Sqlite", connectionString, _serviceId))
        {
            var grain = first.Client.GetGrain<ICounterGrain>("survivor");
            await grain.Increment();
            await grain.Increment();
            await first.StopAllSilosAsync();
        }

        await using var second = await TestClusters.StartAsync("Sqlite", connectionString, _serviceId);
        Assert.Equal(2, await second.Client.GetGrain<ICounterGrain>("survivor").Get());
        Assert.Equal(3, await second.Client.GetGrain<ICounterGrain>("survivor").Increment());
    }

    [Fact]
    public async Task Clear_keeps_the_version_so_later_writes_still_succeed()
    {
        await using var cluster = await TestClusters.StartAsync("Sqlite", _directory.SqliteConnectionString(), _serviceId);
        var grain = cluster.Client.GetGrain<ICounterGrain>("cleared");

        await grain.Increment();
        await grain.Clear();

        Assert.Equal(0, await grain.Get());
        Assert.Equal(1, await grain.Increment());
    }

    [Fact]
    public async Task A_write_behind_another_writer_surfaces_as_InconsistentStateException()
    {
        var connectionString = _directory.SqliteConnectionString();
        await using var cluster = await TestClusters.StartAsync("Sqlite", connectionString, _serviceId);
        var grain = cluster.Client.GetGrain<ICounterGrain>("contended");
        await grain.Increment();

        // Another writer (a second activation elsewhere, an operator) moves the row on behind the grain's ETag.
        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainIdExtensionString = 'contended'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => grain.Increment());
    }

    [Fact]
    public async Task Many_grains_writing_concurrently_all_land_without_busy_errors()
    {
        const int grains = 50;
        const int writesPerGrain = 20;
        var connectionString = _directory.SqliteConnectionString();
        await using var cluster = await TestClusters.StartAsync("Sqlite", connectionString, _serviceId);

        // All 1000 calls in flight at once: each grain writes one at a time, the 50 grains write in parallel
        // on separate pooled connections. Any SQLITE_BUSY would fail a call and so the test.
        await Task.WhenAll(Enumerable.Range(0, grains).SelectMany(g => Enumerable.Range(0, writesPerGrain)
            .Select(_ => cluster.Client.GetGrain<ICounterGrain>($"busy-{g}").Increment())));

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), min(Version), max(Version) FROM OrleansStorage WHERE GrainIdExtensionString LIKE 'busy-%'";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(grains, reader.GetInt32(0));
        Assert.Equal(writesPerGrain, reader.GetInt32(1));
        Assert.Equal(writesPerGrain, reader.GetInt32(2));
        for (var g = 0; g < grains; g++)
        {
            Assert.Equal(writesPerGrain, await cluster.Client.GetGrain<ICounterGrain>($"busy-{g}").Get());
        }
    }

    [Fact]
    public async Task State_stored_as_json_by_an_earlier_release_is_read_and_rewritten_in_binary()
    {
        var connectionString = _directory.SqliteConnectionString();
        await using (var earlier = await StartWithJsonPayloadsAsync(connectionString))
        {
            var grain = earlier.Client.GetGrain<ICounterGrain>("legacy");
            await grain.Increment();
            await grain.Increment();
            await earlier.StopAllSilosAsync();
        }
        Assert.Equal((byte)'{', await FirstPayloadByteAsync(connectionString, "legacy"));

        await using var current = await TestClusters.StartAsync("Sqlite", connectionString, _serviceId);
        var again = current.Client.GetGrain<ICounterGrain>("legacy");
        Assert.Equal(2, await again.Get());
        Assert.Equal(3, await again.Increment());
        Assert.NotEqual((byte)'{', await FirstPayloadByteAsync(connectionString, "legacy"));
    }

    /// <summary>The storage as it was before the binary serializer: the providers' default JSON payloads.</summary>
    private async Task<InProcessTestCluster> StartWithJsonPayloadsAsync(string connectionString)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = _serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddPersonalizeStorage("Sqlite", connectionString);
            silo.Services.AddSingleton<IPostConfigureOptions<AdoNetGrainStorageOptions>>(services =>
                new PostConfigureOptions<AdoNetGrainStorageOptions>(null,
                    o => o.GrainStorageSerializer = ActivatorUtilities.CreateInstance<JsonGrainStorageSerializer>(services)));
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private static async Task<byte> FirstPayloadByteAsync(string connectionString, string key)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var payload = await SchemaInstallerTests.ScalarAsync<byte[]>(connection,
            $"SELECT PayloadBinary FROM OrleansStorage WHERE GrainIdExtensionString = '{key}'");
        return payload[0];
    }

    [Fact]
    public async Task A_queued_write_stores_the_state_as_it_was_when_asked_and_a_failed_one_leaves_nothing_behind()
    {
        await using var cluster = await TestClusters.StartAsync("Sqlite", _directory.SqliteConnectionString(), _serviceId);
        var storage = Assert.IsType<SingleWriterGrainStorage>(
            cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default));
        var id = GrainId.Create("counter", "snapshot");
        var state = new GrainState<CounterState> { State = new CounterState { Value = 1 } };
        await storage.WriteStateAsync("counter", id, state);

        // Another write holds the writer; this one queues, and the state changes while it waits.
        var writerHeld = new TaskCompletionSource();
        var holding = storage.RunWriteAsync(() => writerHeld.Task);
        state.State.Value = 2;
        var queued = storage.WriteStateAsync("counter", id, state);
        state.State.Value = 3;
        writerHeld.SetResult();
        await Task.WhenAll(holding, queued).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, await ReadValueAsync(storage, id));

        // A write refused (behind another writer's version) stores nothing; the next write stores its own state.
        var current = state.ETag;
        (state.ETag, state.State.Value) = ("1", 50);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("counter", id, state));
        Assert.Equal(2, await ReadValueAsync(storage, id));
        (state.ETag, state.State.Value) = (current, 4);
        await storage.WriteStateAsync("counter", id, state);
        Assert.Equal(4, await ReadValueAsync(storage, id));
    }

    [Fact]
    public async Task States_are_written_in_the_bytes_orleans_own_storage_serializer_writes()
    {
        await using var cluster = await TestClusters.StartAsync("Sqlite", _directory.SqliteConnectionString(), _serviceId);
        var services = cluster.Silos[0].ServiceProvider;
        var snapshots = services.GetRequiredService<StateSnapshotSerializer>();
        var orleans = new OrleansGrainStorageSerializer(services.GetRequiredService<Orleans.Serialization.Serializer>());
        var state = new CounterState { Value = 123_456 };

        byte[] taken;
        using (var lent = snapshots.Take(state)) taken = lent.Bytes.ToArray();

        Assert.Equal(orleans.Serialize(state).ToArray(), taken);
        Assert.Equal(123_456, snapshots.Deserialize<CounterState>(BinaryData.FromBytes(taken))!.Value);
        Assert.Equal(taken, snapshots.Serialize(state).ToArray());

        // A state larger than the first array lent for it (4 KB) moves to a larger one, every byte kept.
        var large = string.Concat(Enumerable.Range(0, 3_000).Select(i => $"{i},"));
        using var lentLarge = snapshots.Take(large);
        Assert.NotNull(lentLarge.Lease);
        Assert.Equal(orleans.Serialize(large).ToArray(), lentLarge.Bytes.ToArray());
    }

    private static async Task<int> ReadValueAsync(IGrainStorage storage, GrainId id)
    {
        var read = new GrainState<CounterState>();
        await storage.ReadStateAsync("counter", id, read);
        return read.State!.Value;
    }

    [Fact]
    public async Task The_silo_checkpoints_the_log_itself_so_state_writes_do_not()
    {
        await using var cluster = await TestClusters.StartAsync("Sqlite", _directory.SqliteConnectionString(), _serviceId);
        var checkpointer = cluster.Silos[0].ServiceProvider.GetRequiredService<SqliteCheckpointer>();
        for (var i = 0; i < 20; i++) await cluster.Client.GetGrain<ICounterGrain>($"ckpt-{i}").Increment();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (checkpointer.Checkpoints == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(checkpointer.Checkpoints > 0);
    }

    [Fact]
    public async Task Reminders_register_read_and_unregister_through_the_sqlite_table()
    {
        var connectionString = _directory.SqliteConnectionString();
        await using var cluster = await TestClusters.StartAsync("Sqlite", connectionString, _serviceId);
        var grain = cluster.Client.GetGrain<ICounterGrain>("reminded");
        // Reminder rows are written in turn with grain state, never beside it (SingleWriterReminderTable).
        var silo = cluster.Silos[0];
        Assert.IsType<SingleWriterReminderTable>(silo.ServiceProvider.GetRequiredService<IReminderTable>());

        await grain.RegisterReminder("wake-up");
        Assert.True(await grain.HasReminder("wake-up"));
        Assert.Equal(1L, await CountRemindersAsync(connectionString));

        await grain.UnregisterReminder("wake-up");
        Assert.False(await grain.HasReminder("wake-up"));
        Assert.Equal(0L, await CountRemindersAsync(connectionString));
    }

    private async Task<long> CountRemindersAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return await SchemaInstallerTests.ScalarAsync<long>(connection,
            $"SELECT count(*) FROM OrleansRemindersTable WHERE ServiceId = '{_serviceId}' AND ReminderName = 'wake-up'");
    }
}
