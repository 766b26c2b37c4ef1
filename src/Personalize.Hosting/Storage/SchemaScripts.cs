using System.Reflection;

namespace Personalize.Hosting.Storage;

/// <summary>A versioned schema change: <c>Schema/{Dialect}/Migrations/NNNN_name.sql</c>.</summary>
public sealed record SchemaMigration(int Version, string Name, string Sql);

/// <summary>
/// The SQL embedded in this assembly for one dialect: ordered migrations and the OrleansQuery texts,
/// one file per query key (<c>Schema/{Dialect}/Queries/{QueryKey}.sql</c>).
/// </summary>
public sealed class SchemaScripts
{
    // The project's root namespace, which MSBuild puts in front of every embedded resource name.
    private const string ResourceRoot = "Personalize.Hosting.Schema.";
    private static readonly Assembly ResourceAssembly = typeof(SchemaScripts).Assembly;

    private SchemaScripts(IReadOnlyList<SchemaMigration> migrations, IReadOnlyDictionary<string, string> queries)
    {
        Migrations = migrations;
        Queries = queries;
    }

    public IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>Query key → query text, as the providers read them from OrleansQuery.</summary>
    public IReadOnlyDictionary<string, string> Queries { get; }

    public static SchemaScripts For(SchemaDialect dialect)
    {
        // Resource names follow the folder layout: Personalize.Hosting.Schema.<Dialect>.<Folder>.<file>.sql
        var prefix = $"{ResourceRoot}{dialect}.";
        var migrationsPrefix = prefix + "Migrations.";
        var queriesPrefix = prefix + "Queries.";

        var migrations = new List<SchemaMigration>();
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in ResourceAssembly.GetManifestResourceNames())
        {
            if (!resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            if (resource.StartsWith(migrationsPrefix, StringComparison.Ordinal))
            {
                var fileName = resource[migrationsPrefix.Length..^".sql".Length];
                migrations.Add(ParseMigration(fileName, Read(resource)));
            }
            else if (resource.StartsWith(queriesPrefix, StringComparison.Ordinal))
            {
                queries.Add(resource[queriesPrefix.Length..^".sql".Length], Read(resource));
            }
        }

        if (migrations.Count == 0 || queries.Count == 0)
        {
            throw new InvalidOperationException($"No embedded {dialect} schema scripts found under '{prefix}'.");
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        var duplicate = migrations.Zip(migrations.Skip(1)).FirstOrDefault(p => p.First.Version == p.Second.Version);
        if (duplicate != default)
        {
            throw new InvalidOperationException($"Two {dialect} migrations share version {duplicate.First.Version}.");
        }

        return new SchemaScripts(migrations, queries);
    }

    private static SchemaMigration ParseMigration(string fileName, string sql)
    {
        var separator = fileName.IndexOf('_');
        if (separator <= 0 || !int.TryParse(fileName.AsSpan(0, separator), out var version) || version <= 0)
        {
            throw new InvalidOperationException(
                $"Migration '{fileName}' must be named NNNN_description.sql with a positive version number.");
        }

        return new SchemaMigration(version, fileName[(separator + 1)..], sql);
    }

    private static string Read(string resource)
    {
        using var stream = ResourceAssembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
