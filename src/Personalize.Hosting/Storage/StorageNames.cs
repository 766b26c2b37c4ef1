namespace Personalize.Hosting;

/// <summary>Names of the grain storage providers the silo registers.</summary>
public static class StorageNames
{
    /// <summary>The grain state provider used by <c>[PersistentState("x", StorageNames.Default)]</c>.</summary>
    public const string Default = "Default";
}
