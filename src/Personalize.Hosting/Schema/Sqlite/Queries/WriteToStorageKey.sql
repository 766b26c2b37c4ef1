-- Set per connection (a pooled connection keeps it). With the WAL journal, NORMAL writes each commit to the
-- WAL file before answering but does not fsync it: a process crash loses nothing acknowledged, a power loss
-- may lose the last commits (loadtests/README.md). The pragma returns no row, so the results are the next statement's.
PRAGMA synchronous = NORMAL;
-- One statement, so a pooled connection can never apply half a write and no transaction is left open.
-- A row to insert exists only when the grain sends no version (first write) or the state row exists;
-- on the identity conflict the update applies only if the stored Version equals the sent one.
-- No row returned = version conflict, which Orleans turns into InconsistentStateException.
INSERT INTO OrleansStorage
    (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId,
     PayloadBinary, ModifiedOn, Version)
SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString, @GrainIdExtensionString, @ServiceId,
       @PayloadBinary, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 1
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM OrleansStorage
              WHERE GrainIdHash = @GrainIdHash
  AND GrainTypeHash = @GrainTypeHash
  AND GrainIdN0 = @GrainIdN0
  AND GrainIdN1 = @GrainIdN1
  AND ServiceId = @ServiceId
  AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS @GrainIdExtensionString)
ON CONFLICT (GrainIdHash, GrainTypeHash, GrainIdN0, GrainIdN1, ServiceId, GrainTypeString, ifnull(GrainIdExtensionString, x'00'))
DO UPDATE SET
    PayloadBinary = excluded.PayloadBinary,
    ModifiedOn = excluded.ModifiedOn,
    Version = OrleansStorage.Version + 1
WHERE OrleansStorage.Version = @GrainStateVersion
RETURNING Version AS NewGrainStateVersion;
