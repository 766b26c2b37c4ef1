using Personalize.LoadTests.Targets;

namespace Personalize.LoadTests.Reporting;

/// <summary>
/// <c>readme [--perf DIR] [--readme FILE] [--check]</c>: regenerates README's performance section from
/// the files in <c>docs/perf</c>. With <c>--check</c> nothing is written and the exit code says whether
/// README matches the files (1 when it was edited by hand or the files changed without it).
/// </summary>
public static class ReadmeCommand
{
    public const string Usage = "readme [--perf DIR (docs/perf)] [--readme FILE (README.md)] [--check]";

    public static int Run(IReadOnlyList<string> args)
    {
        var perf = Path.Combine(RepoPaths.Root, "docs", "perf");
        var readme = Path.Combine(RepoPaths.Root, "README.md");
        var check = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--perf" when i + 1 < args.Count: perf = args[++i]; break;
                case "--readme" when i + 1 < args.Count: readme = args[++i]; break;
                case "--check": check = true; break;
                default:
                    Console.Error.WriteLine($"unknown or incomplete option '{args[i]}'\nusage: {Usage}");
                    return 2;
            }
        }

        string updated;
        string current;
        try
        {
            current = File.ReadAllText(readme);
            updated = PerformanceSection.Splice(current, PerformanceSection.Render(PerformanceSection.Inputs.Read(perf)));
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException or KeyNotFoundException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        if (check)
        {
            if (updated == current)
            {
                Console.WriteLine($"{readme}: performance section matches {perf}");
                return 0;
            }
            Console.Error.WriteLine($"{readme}: performance section differs from {perf}; run `dotnet run -c Release --project loadtests/Personalize.LoadTests -- readme`");
            return 1;
        }
        if (updated != current) File.WriteAllText(readme, updated);
        Console.WriteLine($"{readme}: performance section regenerated from {perf}");
        return 0;
    }
}
