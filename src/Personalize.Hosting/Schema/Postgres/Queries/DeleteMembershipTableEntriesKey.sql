-- Members first, as they reference the version row. Npgsql sends both statements in one batch,
-- which PostgreSQL runs as one implicit transaction.
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
