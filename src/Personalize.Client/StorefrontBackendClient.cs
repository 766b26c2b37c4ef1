using System.Net.Http.Json;

namespace Personalize.Client;

/// <summary>
/// The storefront backend's HTTP routes (CONTRACT.md §3): events from POS, apps and order systems, and
/// shopper tokens. Holds the storefront key, so it belongs on a server, never in a browser.
/// </summary>
public sealed class StorefrontBackendClient(HttpClient http, Uri baseUrl, string storefrontApiKey)
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The contract's limit of events in one <c>POST /api/events</c>.</summary>
    public const int MaxEventsPerCall = 500;

    /// <summary>Sends events for one shopper; ids are filled here so a retried call is idempotent.</summary>
    public async Task<EventsAccepted> SendEventsAsync(
        string shopperId, IReadOnlyList<ShopperEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(shopperId);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events.Count, MaxEventsPerCall);
        var withIds = events.Select(e => string.IsNullOrEmpty(e.Id) ? e with { Id = ShopperEvent.NewId() } : e).ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, PersonalizeClient.Combine(baseUrl, "/api/events"))
        {
            Content = JsonContent.Create(new { shopperId, events = withIds }, options: ClientJson.Options),
        };
        request.Headers.Add(ApiKeyHeader, storefrontApiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<EventsAccepted>(ClientJson.Options, cancellationToken)
            ?? new EventsAccepted(withIds.Length, 0);
    }

    public Task<string> MintTokenAsync(string shopperId, int ttlSeconds = 3600, CancellationToken cancellationToken = default) =>
        PersonalizeClient.MintTokenAsync(http, baseUrl, storefrontApiKey, shopperId, ttlSeconds, cancellationToken);

    /// <summary>Like EnsureSuccessStatusCode, but keeps the server's problem details in the message.</summary>
    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException(
            $"{(int)response.StatusCode} {response.ReasonPhrase} from {response.RequestMessage?.RequestUri}: {body}",
            inner: null, response.StatusCode);
    }
}
