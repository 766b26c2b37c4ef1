-- Removes dead silos (Status 6 = Dead) whose last heartbeat is older than the cutoff.
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status = 6;
