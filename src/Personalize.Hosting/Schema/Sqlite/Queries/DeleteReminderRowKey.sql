-- Set per connection (a pooled connection keeps it). With the WAL journal, NORMAL writes each commit to the
-- WAL file before answering but does not fsync it: a process crash loses nothing acknowledged, a power loss
-- may lose the last commits (loadtests/README.md). The pragma returns no row, so the results are the next statement's.
PRAGMA synchronous = NORMAL;
-- Orleans needs exactly one single-column row (non-zero = deleted). SQLite has no data-modifying CTEs,
-- so the count comes from changes() on the same connection right after the DELETE, which is itself atomic.
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version;
SELECT changes();
