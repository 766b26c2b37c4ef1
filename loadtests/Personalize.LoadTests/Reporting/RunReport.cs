using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Personalize.LoadTests.Engine;

namespace Personalize.LoadTests.Reporting;

/// <summary>report.json: the whole run; README's performance table is regenerated from it.</summary>
public sealed record RunReport
{
    public required string RunId { get; init; }
    public required string Profile { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required MachineInfo Machine { get; init; }
    public required IReadOnlyList<ScenarioResult> Scenarios { get; init; }

    public bool Passed => Scenarios.All(s => s.Passed);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes report.json, report.md and report.html into <paramref name="dir"/>.</summary>
    public async Task WriteAsync(string dir)
    {
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "report.json"), JsonSerializer.Serialize(this, Json));
        await File.WriteAllTextAsync(Path.Combine(dir, "report.md"), MarkdownReport.Render(this));
        await File.WriteAllTextAsync(Path.Combine(dir, "report.html"), HtmlReport.Render(this));
    }
}

public sealed record MachineInfo(int ProcessorCount, string Os, string Framework, string Machine)
{
    public static MachineInfo Current { get; } = new(
        Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, Environment.MachineName);
}
