-- Set per connection (a pooled connection keeps it). With the WAL journal, NORMAL writes each commit to the
-- WAL file before answering but does not fsync it: a process crash loses nothing acknowledged, a power loss
-- may lose the last commits (loadtests/README.md). The pragma returns no row, so the results are the next statement's.
PRAGMA synchronous = NORMAL;
DELETE FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId;
