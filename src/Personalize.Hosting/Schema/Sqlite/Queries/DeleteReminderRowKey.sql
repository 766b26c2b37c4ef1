-- Orleans needs exactly one single-column row (non-zero = deleted). SQLite has no data-modifying CTEs,
-- so the count comes from changes() on the same connection right after the DELETE, which is itself atomic.
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version;
SELECT changes();
