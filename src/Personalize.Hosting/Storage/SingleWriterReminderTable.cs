using Orleans.Runtime;

namespace Personalize.Hosting.Storage;

/// <summary>
/// The ADO.NET reminder table on SQLite, its writes queued with the grain state writes
/// (<see cref="SingleWriterGrainStorage"/>): otherwise a reminder upsert and a state write meet on SQLite's
/// one writer lock and the loser sleeps 150 ms in Microsoft.Data.Sqlite before retrying, which showed as a
/// 150 ms step in the referral loop's latencies (a referral's wake-up is a reminder). Reads pass through.
/// </summary>
public sealed class SingleWriterReminderTable(IReminderTable inner, SingleWriterGrainStorage writer) : IReminderTable
{
    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken = default) => inner.StopAsync(cancellationToken);

    [Obsolete("Implement and use StartAsync instead")]
    public Task Init() => inner.Init();

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        inner.ReadRows(grainId, cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) =>
        inner.ReadRows(begin, end, cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken) =>
        inner.ReadRow(grainId, reminderName, cancellationToken);

    public Task<string?> UpsertRow(ReminderEntry entry) => InTurn(() => inner.UpsertRow(entry));

    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken) =>
        InTurn(() => inner.UpsertRow(entry, cancellationToken));

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        InTurn(() => inner.RemoveRow(grainId, reminderName, eTag));

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken) =>
        InTurn(() => inner.RemoveRow(grainId, reminderName, eTag, cancellationToken));

    public Task TestOnlyClearTable() => writer.RunWriteAsync(inner.TestOnlyClearTable);

    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        writer.RunWriteAsync(() => inner.TestOnlyClearTable(cancellationToken));

    private async Task<T> InTurn<T>(Func<Task<T>> write)
    {
        var result = default(T)!;
        await writer.RunWriteAsync(async () => result = await write());
        return result;
    }
}
