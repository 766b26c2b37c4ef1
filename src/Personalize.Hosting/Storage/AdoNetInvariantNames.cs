namespace Personalize.Hosting.Storage;

/// <summary>
/// Invariant names the Orleans 10.4.2 ADO.NET providers accept (their DbConnectionFactory table).
/// "System.Data.SQLite" is the key under which Orleans loads Microsoft.Data.Sqlite's SqliteFactory;
/// the string "Microsoft.Data.Sqlite" is not a known invariant and fails at start-up.
/// </summary>
public static class AdoNetInvariantNames
{
    public const string Sqlite = "System.Data.SQLite";
    public const string Postgres = "Npgsql";

    public static string For(SchemaDialect dialect) => dialect switch
    {
        SchemaDialect.Sqlite => Sqlite,
        SchemaDialect.Postgres => Postgres,
        _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Unknown schema dialect."),
    };
}
