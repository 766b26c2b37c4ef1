using Orleans.Runtime;

namespace Personalize.Hosting.Tests;

[Alias("Personalize.Hosting.Tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    [Alias("Increment")] Task<int> Increment();
    [Alias("Get")] Task<int> Get();
    [Alias("Clear")] Task Clear();
    [Alias("RegisterReminder")] Task RegisterReminder(string name);
    [Alias("HasReminder")] Task<bool> HasReminder(string name);
    [Alias("UnregisterReminder")] Task UnregisterReminder(string name);
}

[GenerateSerializer, Alias("Personalize.Hosting.Tests.CounterState")]
public sealed class CounterState
{
    [Id(0)] public int Value { get; set; }
}

/// <summary>A grain that persists every change through the storage under test before answering.</summary>
public sealed class CounterGrain(
    [PersistentState("counter", StorageNames.Default)] IPersistentState<CounterState> counter)
    : Grain, ICounterGrain, IRemindable
{
    public async Task<int> Increment()
    {
        counter.State.Value++;
        await counter.WriteStateAsync();
        return counter.State.Value;
    }

    public Task<int> Get() => Task.FromResult(counter.State.Value);

    public Task Clear() => counter.ClearStateAsync();

    // Long due time and period: the tests check the reminder table, not ticks.
    public Task RegisterReminder(string name) =>
        this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task<bool> HasReminder(string name) => await this.GetReminder(name) is not null;

    public async Task UnregisterReminder(string name)
    {
        if (await this.GetReminder(name) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
