-- Set per connection (a pooled connection keeps it). With the WAL journal, NORMAL writes each commit to the
-- WAL file before answering but does not fsync it: a process crash loses nothing acknowledged, a power loss
-- may lose the last commits (loadtests/README.md). The pragma returns no row, so the results are the next statement's.
PRAGMA synchronous = NORMAL;
-- Keeps the row (and so the version history) but drops the payload; Orleans reads the new version from column 0.
UPDATE OrleansStorage
SET PayloadBinary = NULL,
    ModifiedOn = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
    Version = Version + 1
WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString
  AND Version = @GrainStateVersion
RETURNING Version;
