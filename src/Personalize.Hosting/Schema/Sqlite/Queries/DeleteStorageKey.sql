-- Set per connection (a pooled connection keeps it). With the WAL journal, NORMAL writes each commit to the
-- WAL file before answering but does not fsync it: a process crash loses nothing acknowledged, a power loss
-- may lose the last commits (loadtests/README.md). The pragma returns no row, so the results are the next statement's.
PRAGMA synchronous = NORMAL;
-- Used with DeleteStateOnClear=true: Orleans expects the deleted version + 1 in column 0.
DELETE FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version + 1;
