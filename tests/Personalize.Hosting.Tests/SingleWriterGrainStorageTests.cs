using Orleans.Runtime;
using Orleans.Storage;
using Personalize.Hosting.Storage;

namespace Personalize.Hosting.Tests;

/// <summary>
/// The write queue in front of SQLite (the real provider behind it is covered by SqliteStorageTests): one
/// write at a time, queued writes in arrival order, a failure reported to its own writer only, and the
/// writer idle again afterwards.
/// </summary>
public sealed class SingleWriterGrainStorageTests
{
    [Fact]
    public async Task Writes_from_many_threads_never_overlap_and_all_complete()
    {
        var inner = new RecordingStorage(work: TimeSpan.FromMicroseconds(200));
        using var storage = new SingleWriterGrainStorage(inner);

        var writes = Enumerable.Range(0, 400).Select(i => Task.Run(() =>
            storage.WriteStateAsync("s", GrainId.Create("g", $"{i % 40}"), new GrainState<int> { State = i })));
        await Task.WhenAll(writes);

        Assert.Equal(400, inner.Written.Count);
        Assert.Equal(1, inner.MostAtOnce);
    }

    [Fact]
    public async Task A_write_arriving_while_one_runs_waits_and_queued_writes_run_in_arrival_order()
    {
        var inner = new RecordingStorage(work: TimeSpan.Zero);
        using var storage = new SingleWriterGrainStorage(inner);
        var release = new TaskCompletionSource();
        inner.Hold = release.Task;

        // The first write finds the writer idle and runs on this thread until it meets the held task.
        var first = storage.WriteStateAsync("s", GrainId.Create("g", "first"), new GrainState<int>());
        var queued = Enumerable.Range(0, 5)
            .Select(i => storage.WriteStateAsync("s", GrainId.Create("g", $"q{i}"), new GrainState<int>()))
            .ToArray();
        await Task.Delay(50);
        Assert.False(first.IsCompleted);
        Assert.All(queued, t => Assert.False(t.IsCompleted));
        Assert.Equal(["first"], inner.Started);

        inner.Hold = null;
        release.SetResult();
        await Task.WhenAll(queued.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["first", "q0", "q1", "q2", "q3", "q4"], inner.Written);
        Assert.Equal(1, inner.MostAtOnce);
    }

    [Fact]
    public async Task Queued_writes_a_caller_waits_on_go_before_deferrable_ones()
    {
        var inner = new RecordingStorage(work: TimeSpan.Zero);
        using var storage = new SingleWriterGrainStorage(inner);
        var release = new TaskCompletionSource();
        inner.Hold = release.Task;

        var first = storage.WriteStateAsync("s", GrainId.Create("g", "first"), new GrainState<int>());
        Task flush1, flush2;
        using (DeferrableWrites.Mark())
        {
            flush1 = storage.WriteStateAsync("s", GrainId.Create("g", "flush1"), new GrainState<int>());
            flush2 = storage.WriteStateAsync("s", GrainId.Create("g", "flush2"), new GrainState<int>());
        }
        var basket = storage.WriteStateAsync("s", GrainId.Create("g", "basket"), new GrainState<int>());
        Assert.False(DeferrableWrites.IsMarked);

        inner.Hold = null;
        release.SetResult();
        await Task.WhenAll(first, flush1, flush2, basket).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["first", "basket", "flush1", "flush2"], inner.Written);
    }

    [Fact]
    public async Task Another_write_to_the_database_takes_its_turn_with_the_state_writes()
    {
        var inner = new RecordingStorage(work: TimeSpan.Zero);
        using var storage = new SingleWriterGrainStorage(inner);
        var release = new TaskCompletionSource();
        inner.Hold = release.Task;
        var first = storage.WriteStateAsync("s", GrainId.Create("g", "first"), new GrainState<int>());

        var reminderWritten = false;
        var reminder = storage.RunWriteAsync(() =>
        {
            reminderWritten = true;
            return Task.CompletedTask;
        });
        await Task.Delay(50);
        Assert.False(reminderWritten);

        inner.Hold = null;
        release.SetResult();
        await Task.WhenAll(first, reminder).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(reminderWritten);
    }

    [Fact]
    public async Task A_failed_write_fails_its_own_caller_only_and_the_writer_goes_on()
    {
        var inner = new RecordingStorage(work: TimeSpan.FromMilliseconds(1)) { FailFor = "bad" };
        using var storage = new SingleWriterGrainStorage(inner);

        var tasks = new[] { "a", "bad", "b", "bad", "c" }
            .Select(key => storage.WriteStateAsync("s", GrainId.Create("g", key), new GrainState<int>()))
            .ToArray();
        var outcome = await Task.WhenAll(tasks.Select(async t =>
        {
            try { await t; return "ok"; }
            catch (InvalidOperationException) { return "failed"; }
        }));

        Assert.Equal(["ok", "failed", "ok", "failed", "ok"], outcome);
        // Idle again: the next write runs (and finishes) on the caller's thread.
        var after = storage.WriteStateAsync("s", GrainId.Create("g", "after"), new GrainState<int>());
        Assert.True(after.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task After_dispose_new_writes_are_refused_and_queued_ones_still_land()
    {
        var inner = new RecordingStorage(work: TimeSpan.Zero);
        var storage = new SingleWriterGrainStorage(inner);
        var release = new TaskCompletionSource();
        inner.Hold = release.Task;
        var first = storage.WriteStateAsync("s", GrainId.Create("g", "first"), new GrainState<int>());
        var queued = storage.WriteStateAsync("s", GrainId.Create("g", "queued"), new GrainState<int>());

        storage.Dispose();
        // Refused at the call, before anything is queued.
        Assert.Throws<ObjectDisposedException>(() =>
        {
            _ = storage.WriteStateAsync("s", GrainId.Create("g", "late"), new GrainState<int>());
        });
        inner.Hold = null;
        release.SetResult();
        await Task.WhenAll(first, queued).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["first", "queued"], inner.Written);
    }

    /// <summary>Stands in for the ADO.NET provider: records order and how many writes ran at once.</summary>
    private sealed class RecordingStorage(TimeSpan work) : IGrainStorage
    {
        private readonly Lock _lock = new();
        private int _running;

        public List<string> Started { get; } = [];
        public List<string> Written { get; } = [];
        public int MostAtOnce { get; private set; }
        public string? FailFor { get; init; }
        /// <summary>When set, a write waits for it before finishing (an asynchronous provider).</summary>
        public Task? Hold { get; set; }

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            RunAsync(grainId.Key.ToString()!);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
            RunAsync(grainId.Key.ToString()!);

        private async Task RunAsync(string key)
        {
            lock (_lock)
            {
                Started.Add(key);
                MostAtOnce = Math.Max(MostAtOnce, ++_running);
            }
            try
            {
                if (work > TimeSpan.Zero) Thread.SpinWait((int)(work.TotalMicroseconds * 20));
                if (Hold is { } hold) await hold;
                if (key == FailFor) throw new InvalidOperationException("write refused");
                lock (_lock) Written.Add(key);
            }
            finally
            {
                lock (_lock) _running--;
            }
        }
    }
}
