namespace Personalize.LoadTests.Targets;

/// <summary>Finds the repository from wherever the load test runs, to locate the projects it starts.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Personalize.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        throw new InvalidOperationException("Personalize.sln not found above the load test or the current directory.");
    }

    /// <summary>
    /// The built dll of a project, newest of Release and Debug: the load test may run in either
    /// configuration and should start what was just built.
    /// </summary>
    public static string? FindBuiltDll(string projectDir, string assemblyName)
    {
        var candidates = new[] { "Release", "Debug" }
            .Select(c => Path.Combine(Root, projectDir, "bin", c, "net10.0", assemblyName + ".dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc);
        return candidates.FirstOrDefault();
    }
}
