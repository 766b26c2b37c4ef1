namespace Personalize.Grains;

/// <summary>Names of the grain storage providers the grains use; the hosts register them.</summary>
public static class GrainStorage
{
    /// <summary>The one durable store (SQLite, PostgreSQL, or memory in tests).</summary>
    public const string Default = "Default";
}
