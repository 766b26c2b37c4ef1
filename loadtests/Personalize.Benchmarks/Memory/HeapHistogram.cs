using System.Diagnostics;
using System.Globalization;
using Microsoft.Diagnostics.Runtime;

namespace Personalize.Benchmarks.Memory;

/// <summary>
/// Where the bytes are: with <c>--histogram</c> the probe has a second process attach to it (ClrMD)
/// right after each reading and count heap objects by type, then writes what grew per item. A stand-in
/// for dotnet-gcdump that needs no global tool.
/// </summary>
public static class HeapHistogram
{
    public const string Verb = "memory-heap";

    /// <summary>Hidden verb: <c>memory-heap PID FILE</c> writes "type\tcount\tbytes" lines for the process's heap.</summary>
    public static int Run(string[] args)
    {
        var pid = int.Parse(args[0], CultureInfo.InvariantCulture);
        var totals = new Dictionary<string, (long Count, long Bytes)>(StringComparer.Ordinal);
        using (var target = DataTarget.AttachToProcess(pid, suspend: true))
        {
            var runtime = target.ClrVersions[0].CreateRuntime();
            foreach (var obj in runtime.Heap.EnumerateObjects())
            {
                if (!obj.IsValid) continue;
                var name = obj.Type?.Name ?? "?";
                if (obj.Type?.IsString == true) name = StringBucket(obj.AsString(maxLength: 48) ?? "");
                var (count, bytes) = totals.GetValueOrDefault(name);
                totals[name] = (count + 1, bytes + (long)obj.Size);
            }
        }
        File.WriteAllLines(args[1], totals.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key}\t{t.Value.Count}\t{t.Value.Bytes}")));
        return 0;
    }

    /// <summary>Strings by shape (digits → 9, other letters → a), so the diff says which strings each item adds.</summary>
    private static string StringBucket(string text)
    {
        var shape = new System.Text.StringBuilder("string \"", text.Length + 9);
        foreach (var c in text) shape.Append(char.IsControl(c) ? '?' : char.IsAsciiDigit(c) ? '9' : char.IsAsciiHexDigitLower(c) || char.IsAsciiLetter(c) ? 'a' : c);
        return shape.Append('"').ToString();
    }

    /// <summary>Takes a histogram of this process from a child process.</summary>
    public static async Task<Dictionary<string, (long Count, long Bytes)>> TakeAsync()
    {
        var file = Path.GetTempFileName();
        try
        {
            var info = new ProcessStartInfo { FileName = Environment.ProcessPath ?? "dotnet", UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet") info.ArgumentList.Add(typeof(HeapHistogram).Assembly.Location);
            info.ArgumentList.Add(Verb);
            info.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            info.ArgumentList.Add(file);
            using var process = Process.Start(info)!;
            await process.WaitForExitAsync();
            if (process.ExitCode != 0) throw new InvalidOperationException("the heap histogram process failed");
            return File.ReadAllLines(file).Select(l => l.Split('\t')).ToDictionary(
                p => p[0], p => (long.Parse(p[1], CultureInfo.InvariantCulture), long.Parse(p[2], CultureInfo.InvariantCulture)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The types that grew most between two histograms, per item added.</summary>
    public static IEnumerable<string> Diff(
        Dictionary<string, (long Count, long Bytes)> before, Dictionary<string, (long Count, long Bytes)> after, int items, int top = 200)
    {
        var rows = after.Select(a =>
        {
            var b = before.GetValueOrDefault(a.Key);
            return (Type: a.Key, Count: (double)(a.Value.Count - b.Count) / items, Bytes: (double)(a.Value.Bytes - b.Bytes) / items);
        }).OrderByDescending(r => r.Bytes).Take(top);
        yield return "bytes/item\tobjects/item\ttype";
        foreach (var r in rows)
            yield return string.Create(CultureInfo.InvariantCulture, $"{r.Bytes,10:F1}\t{r.Count,8:F2}\t{r.Type}");
    }
}

/// <summary>Histograms around one measurement, written to DIR/heap-NAME.txt; does nothing without a directory.</summary>
public sealed class HistogramRecorder(string? directory)
{
    // Kept on disk, not in this process: a dictionary of every type held between the two readings
    // would be counted in the second one.
    private string? _before;

    public async Task BeforeAsync()
    {
        if (directory is null) return;
        _before = Path.GetTempFileName();
        await File.WriteAllLinesAsync(_before, (await HeapHistogram.TakeAsync()).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key}\t{t.Value.Count}\t{t.Value.Bytes}")));
    }

    public async Task AfterAsync(string name, int items)
    {
        if (directory is null || _before is null) return;
        var after = await HeapHistogram.TakeAsync();
        var before = (await File.ReadAllLinesAsync(_before)).Select(l => l.Split('\t')).ToDictionary(
            p => p[0], p => (long.Parse(p[1], CultureInfo.InvariantCulture), long.Parse(p[2], CultureInfo.InvariantCulture)));
        File.Delete(_before);
        _before = null;
        Directory.CreateDirectory(directory);
        await File.WriteAllLinesAsync(Path.Combine(directory, $"heap-{name}.txt"), HeapHistogram.Diff(before, after, items));
    }
}
