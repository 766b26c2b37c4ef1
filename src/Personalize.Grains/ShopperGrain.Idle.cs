using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>
/// Idle triggers (<c>on: { idleSeconds }</c>). While the grain is active a one-shot grain timer wakes
/// it when the next idle trigger falls due. A wait of a minute or more is also covered by a reminder,
/// so it survives deactivation and silo loss; reminders tick at most once a minute, so after a loss the
/// push may come up to a minute late. Shorter waits rely on the timer alone: an active grain is not
/// collected within a minute, and losing a silo in that minute loses only that idle push.
/// </summary>
public sealed partial class ShopperGrain : IRemindable
{
    public const string IdleReminderName = "idle";
    public static readonly TimeSpan ReminderThreshold = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? _idleTimer;

    public async Task CheckIdleAsync()
    {
        // An alias has no idle spell of its own: its customer's grain judges the merged shopper.
        if (State.MergedInto is not null) return;
        var catalog = await services.Catalogs.GetAsync();
        var now = services.Time.GetUtcNow();
        await PrepareRecommendationsAsync(catalog, null);
        var verdict = await _model.JudgeIdleAsync(catalog, now, services.Budget);
        var durable = verdict.Changed | await ScheduleIdleCheckAsync(catalog, now);
        if (durable) await WriteAsync();
        else ScheduleLazyWrite();
        if (verdict.Nudge is { } nudge) await PushToObserversAsync(nudge);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != IdleReminderName) return;
        // The reminder exists even if the write that recorded it was lost: record it so it can be dropped.
        State.IdleReminderSet = true;
        await CheckIdleAsync();
    }

    /// <summary>
    /// Points the idle timer at the next due idle trigger and makes sure a long wait has a reminder.
    /// True when state changed in a way that must be stored (the reminder flag).
    /// </summary>
    private async Task<bool> ScheduleIdleCheckAsync(CompiledCatalog catalog, DateTimeOffset now)
    {
        if (catalog.IdleTriggers.Count == 0 && !State.IdleReminderSet && _idleTimer is null) return false;
        if (_model.NextIdleDue(catalog) is not { } due) return await ForgetIdleAsync();

        var wait = due > now ? due - now : TimeSpan.Zero;
        if (_idleTimer is null)
        {
            _idleTimer = this.RegisterGrainTimer(static (grain, _) => grain.CheckIdleAsync(), this,
                new GrainTimerCreationOptions(wait, Timeout.InfiniteTimeSpan) { KeepAlive = false, Interleave = false });
        }
        else
        {
            _idleTimer.Change(wait, Timeout.InfiniteTimeSpan);
        }

        // Registered once and kept while waits remain: one reminder write per session, not per event.
        if (wait < ReminderThreshold || State.IdleReminderSet) return false;
        await this.RegisterOrUpdateReminder(IdleReminderName, wait, ReminderPeriod);
        State.IdleReminderSet = true;
        return true;
    }

    /// <summary>Nothing left to wait for: stop the timer and drop the reminder. True when state changed.</summary>
    private async Task<bool> ForgetIdleAsync()
    {
        _idleTimer?.Dispose();
        _idleTimer = null;
        if (!State.IdleReminderSet) return false;
        if (await this.GetReminder(IdleReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        State.IdleReminderSet = false;
        return true;
    }
}
