using System.Globalization;
using Personalize.Client;

namespace Personalize.Benchmarks.Memory;

/// <summary>
/// The hidden verb the connection probe starts in a second process: opens one storefront client per
/// token, prints <c>ready N B</c> (N = connections open, B = managed bytes this process holds per open
/// client), and holds them until standard input closes.
/// </summary>
public static class IdleConnections
{
    public const string Verb = "memory-clients";
    public const string Ready = "ready";
    private const int Concurrency = 32;

    public static async Task<int> RunAsync(string[] args)
    {
        var url = new Uri(Option(args, "--url") ?? throw new ArgumentException("--url is required"));
        var tokens = await File.ReadAllLinesAsync(Option(args, "--tokens") ?? throw new ArgumentException("--tokens is required"));
        var count = int.Parse(Option(args, "--count") ?? tokens.Length.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var clients = new PersonalizeClient[Math.Min(count, tokens.Length)];
        var next = -1;
        var failed = 0;
        // The client side's own figure: what the storefront client holds per connection, one-time costs
        // (serialization metadata, the runtime's pools) spread over every client opened.
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        async Task Open()
        {
            for (var i = Interlocked.Increment(ref next); i < clients.Length; i = Interlocked.Increment(ref next))
            {
                var token = tokens[i];
                var client = new PersonalizeClient(new PersonalizeClientOptions
                {
                    BaseUrl = url,
                    AccessTokenProvider = () => Task.FromResult<string?>(token),
                    // Straight to the WebSocket: a negotiate request would also leave an idle keep-alive HTTP
                    // connection on the gateway until Kestrel's keep-alive timeout (130 s) closes it, which
                    // is not what an open SignalR connection costs.
                    DirectWebSocket = true,
                });
                try
                {
                    await client.StartAsync();
                    clients[i] = client;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException or System.Net.WebSockets.WebSocketException)
                {
                    Interlocked.Increment(ref failed);
                    await Console.Error.WriteLineAsync($"connection {i} failed: {ex.Message}");
                    await client.DisposeAsync();
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(Open)));
        var opened = clients.Length - failed;
        var perClient = opened == 0 ? 0 : (GC.GetTotalMemory(forceFullCollection: true) - baseline) / opened;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Ready} {opened} {perClient}"));
        await Console.Out.FlushAsync();

        await Console.In.ReadToEndAsync();
        await Task.WhenAll(clients.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
        return failed == 0 ? 0 : 1;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
