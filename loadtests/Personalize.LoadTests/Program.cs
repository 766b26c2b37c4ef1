using Personalize.LoadTests;
using Spectre.Console;

if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(LoadTestOptions.Usage);
    return 0;
}

if (args is ["readme", .. var readmeArgs]) return Personalize.LoadTests.Reporting.ReadmeCommand.Run(readmeArgs);

LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
    Console.WriteLine(LoadTestOptions.Usage);
    return 2;
}

// Thousands of connections start at once; a thread pool that grows one thread per 500 ms would be
// measured instead of the server.
ThreadPool.SetMinThreads(Math.Max(64, Environment.ProcessorCount * 16), Math.Max(64, Environment.ProcessorCount * 16));
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
return await new LoadTestRun(options).RunAsync(cancel.Token);
