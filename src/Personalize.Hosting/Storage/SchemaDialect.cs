namespace Personalize.Hosting.Storage;

/// <summary>The databases Personalize ships a schema for.</summary>
public enum SchemaDialect
{
    Sqlite,
    Postgres,
}
