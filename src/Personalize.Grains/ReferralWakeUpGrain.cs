using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

/// <summary>
/// Holds one shopper's referral reminder. It lives beside the shopper grain rather than in it so the
/// shopper grain's own reminders (idle triggers) stay separate; it keeps nothing but the reminder.
/// </summary>
public sealed class ReferralWakeUpGrain([FromKeyedServices(ProductClock.Key)] TimeProvider time) : Grain, IReferralWakeUpGrain, IRemindable
{
    public const string ReminderName = "referral";
    /// <summary>Retry cadence while a hand-off or a confirmation is waiting; Orleans' minimum reminder period.</summary>
    public static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);

    private string ShopperId => this.GetPrimaryKeyString();

    public async Task ScheduleAsync(DateTimeOffset? at)
    {
        if (at is null)
        {
            if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
            return;
        }
        var due = at.Value - time.GetUtcNow();
        await this.RegisterOrUpdateReminder(ReminderName, due < TimeSpan.Zero ? TimeSpan.Zero : due, RetryPeriod);
    }

    public async Task<bool> IsScheduledAsync() => await this.GetReminder(ReminderName) is not null;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName) return;
        var next = await GrainFactory.GetGrain<IShopperReferralGrain>(ShopperId).WakeUpAsync();
        // A far-off confirmation should not tick every minute until then.
        if (next is null || next.Value - time.GetUtcNow() > RetryPeriod) await ScheduleAsync(next);
    }
}
