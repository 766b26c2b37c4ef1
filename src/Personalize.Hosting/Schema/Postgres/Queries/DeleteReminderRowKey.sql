-- Orleans needs exactly one single-column row: the number of rows deleted (non-zero = deleted).
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
    RETURNING 1
)
SELECT count(*) FROM deleted;
