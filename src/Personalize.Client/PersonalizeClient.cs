using System.Net.Http.Json;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Personalize.Client;

/// <summary>
/// A storefront's connection to the shopper hub: tracks events, reads state, and raises the server's
/// pushes once each. One instance acts for the one shopper its token names.
/// </summary>
public sealed class PersonalizeClient : IAsyncDisposable
{
    public const string HubPath = "/hubs/shopper";
    private static readonly TimeSpan ShownReportGrace = TimeSpan.FromSeconds(2);

    private readonly HubConnection _connection;
    private readonly PersonalizeClientOptions _options;
    private readonly PushDeduplicator _seenPushes;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly HashSet<Task> _shownReports = [];
    private readonly Lock _shownGate = new();
    private bool _started;
    private bool _disposed;

    public PersonalizeClient(PersonalizeClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTrackAttempts, 1);
        _options = options;
        _seenPushes = new PushDeduplicator(options.DedupCapacity);
        _logger = options.LoggerFactory?.CreateLogger<PersonalizeClient>() ?? NullLogger<PersonalizeClient>.Instance;

        var builder = new HubConnectionBuilder()
            .WithUrl(Combine(options.BaseUrl, HubPath), http =>
            {
                http.AccessTokenProvider = options.AccessTokenProvider;
                if (options.DirectWebSocket)
                {
                    http.SkipNegotiation = true;
                    http.Transports = HttpTransportType.WebSockets;
                }
                options.ConfigureConnection?.Invoke(http);
            })
            .WithAutomaticReconnect(options.ReconnectPolicy)
            .AddJsonProtocol(ClientJson.UseOn);
        if (options.LoggerFactory is not null)
        {
            builder.Services.AddSingleton(options.LoggerFactory);
        }
        _connection = builder.Build();

        Register<OfferPush>(PushKinds.Offer, p => OfferReceived?.Invoke(p));
        Register<ReferralPromptPush>(PushKinds.ReferralPrompt, p => ReferralPromptReceived?.Invoke(p));
        Register<RecommendationsPush>(PushKinds.Recommendations, p => RecommendationsReceived?.Invoke(p));
        Register<SurveyPush>(PushKinds.Survey, p => SurveyReceived?.Invoke(p));
        Register<RewardPush>(PushKinds.Reward, p => RewardReceived?.Invoke(p));

        _connection.Reconnecting += error => { Reconnecting?.Invoke(error); return Task.CompletedTask; };
        _connection.Reconnected += id => { Reconnected?.Invoke(); return Task.CompletedTask; };
        _connection.Closed += error => { Closed?.Invoke(error); return Task.CompletedTask; };
    }

    public event Action<OfferPush>? OfferReceived;
    public event Action<ReferralPromptPush>? ReferralPromptReceived;
    public event Action<RecommendationsPush>? RecommendationsReceived;
    public event Action<SurveyPush>? SurveyReceived;
    public event Action<RewardPush>? RewardReceived;

    /// <summary>Every push of any kind, after repeats are dropped and before the kind's own event.</summary>
    public event Action<Push>? PushReceived;

    public event Action<Exception?>? Reconnecting;
    public event Action? Reconnected;
    /// <summary>The connection stopped for good (disposed, or the reconnect policy gave up).</summary>
    public event Action<Exception?>? Closed;

    /// <summary>Work the client did on its own (nudge_shown reports, handlers) that failed.</summary>
    public event Action<Exception>? BackgroundError;

    public HubConnectionState State => _connection.State;

    /// <summary>How many push ids are currently remembered for dropping repeats.</summary>
    public int RememberedPushIds => _seenPushes.Count;

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _startGate.WaitAsync(cancellationToken);
        try
        {
            if (_connection.State == HubConnectionState.Disconnected)
            {
                await _connection.StartAsync(cancellationToken);
            }
            _started = true;
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>
    /// Sends one event. A missing id is generated here, before the first attempt, so every retry after
    /// a dropped connection carries the same id and the server's idempotency makes the retry harmless.
    /// A <see cref="HubException"/> (the server refused the event) is not retried.
    /// </summary>
    public async Task<TrackResult> TrackAsync(ShopperEvent shopperEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(shopperEvent);
        var withId = string.IsNullOrEmpty(shopperEvent.Id) ? shopperEvent with { Id = ShopperEvent.NewId() } : shopperEvent;
        var delay = _options.TrackRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await EnsureConnectedAsync(cancellationToken);
                return await _connection.InvokeAsync<TrackResult>("Track", withId, cancellationToken);
            }
            catch (Exception ex) when (attempt < _options.MaxTrackAttempts && IsTransient(ex, cancellationToken))
            {
                ClientLog.LogDebugTrackRetry(_logger, withId.Id!, attempt, ex);
                await Task.Delay(delay, cancellationToken);
                delay *= 2;
            }
        }
    }

    public async Task<ShopperView> GetStateAsync(CancellationToken cancellationToken = default)
    {
        await EnsureConnectedAsync(cancellationToken);
        return await _connection.InvokeAsync<ShopperView>("GetState", cancellationToken);
    }

    public async Task<ReferralLink> GetReferralLinkAsync(CancellationToken cancellationToken = default)
    {
        await EnsureConnectedAsync(cancellationToken);
        return await _connection.InvokeAsync<ReferralLink>("GetReferralLink", cancellationToken);
    }

    /// <summary>
    /// Asks the storefront backend route for a shopper token. Storefront backends call this; a browser
    /// never holds the storefront key.
    /// </summary>
    public static async Task<string> MintTokenAsync(
        HttpClient http, Uri baseUrl, string storefrontApiKey, string shopperId, int ttlSeconds = 3600,
        CancellationToken cancellationToken = default)
    {
        var token = await MintShopperTokenAsync(http, baseUrl, storefrontApiKey, shopperId, ttlSeconds, cancellationToken);
        return token.Token;
    }

    /// <inheritdoc cref="MintTokenAsync"/>
    public static async Task<ShopperToken> MintShopperTokenAsync(
        HttpClient http, Uri baseUrl, string storefrontApiKey, string shopperId, int ttlSeconds = 3600,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(storefrontApiKey);
        ArgumentException.ThrowIfNullOrEmpty(shopperId);
        using var request = new HttpRequestMessage(HttpMethod.Post, Combine(baseUrl, "/api/shopper-tokens"))
        {
            Content = JsonContent.Create(new { shopperId, ttlSeconds }, options: ClientJson.Options),
        };
        request.Headers.Add(StorefrontBackendClient.ApiKeyHeader, storefrontApiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        await StorefrontBackendClient.EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<ShopperToken>(ClientJson.Options, cancellationToken)
            ?? throw new HttpRequestException("The token route answered an empty body.");
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        // Let shown reports already on their way finish, briefly: each one keeps a push out of the
        // server's replay on this shopper's next connection.
        Task[] reports;
        lock (_shownGate)
        {
            reports = [.. _shownReports];
        }
        if (reports.Length > 0)
        {
            await Task.WhenAny(Task.WhenAll(reports), Task.Delay(ShownReportGrace));
        }
        _disposed = true;
        await _connection.DisposeAsync();
        _startGate.Dispose();
    }

    private void Register<T>(string kind, Action<T> raiseKind) where T : Push =>
        _connection.On<T>(kind, push => OnPush(kind, push, raiseKind));

    private void OnPush<T>(string kind, T push, Action<T> raiseKind) where T : Push
    {
        if (!string.IsNullOrEmpty(push.Id) && !_seenPushes.TryAdd(push.Id))
        {
            ClientLog.LogDebugDuplicatePush(_logger, push.Id);
            return;
        }
        try
        {
            PushReceived?.Invoke(push);
            raiseKind(push);
        }
        catch (Exception ex)
        {
            // A storefront handler must not take the receive loop down with it.
            ClientLog.LogWarningHandlerFailed(_logger, kind, ex);
            BackgroundError?.Invoke(ex);
        }
        if (_options.ReportShown && !string.IsNullOrEmpty(push.Id))
        {
            // Not awaited: handlers run on the receive loop, which must be free to read this call's answer.
            var report = ReportShownAsync(push.Id);
            lock (_shownGate)
            {
                _shownReports.Add(report);
            }
            // Attached after the Add, so the removal can never run first.
            _ = report.ContinueWith(static (done, self) => ((PersonalizeClient)self!).ForgetShownReport(done), this,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ReportShownAsync(string pushId)
    {
        try
        {
            await TrackAsync(new ShopperEvent { Type = EventTypes.NudgeShown, NudgeId = pushId });
        }
        catch (ObjectDisposedException) when (_disposed)
        {
            // Closed before the report went out: the push stays pending and is replayed next time.
        }
        catch (Exception ex)
        {
            ClientLog.LogWarningShownFailed(_logger, pushId, ex);
            BackgroundError?.Invoke(ex);
        }
    }

    private void ForgetShownReport(Task report)
    {
        lock (_shownGate)
        {
            _shownReports.Remove(report);
        }
    }

    /// <summary>
    /// Waits out an automatic reconnect, and restarts a connection whose reconnect policy gave up, so a
    /// call made during a blip succeeds instead of failing at once.
    /// </summary>
    private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection.State == HubConnectionState.Connected)
        {
            return;
        }
        if (!_started)
        {
            throw new InvalidOperationException("Call StartAsync before using the client.");
        }
        var deadline = DateTime.UtcNow + _options.ReconnectWait;
        while (_connection.State != HubConnectionState.Connected)
        {
            if (_connection.State == HubConnectionState.Disconnected)
            {
                await StartAsync(cancellationToken);
                continue;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"The hub connection stayed {_connection.State} for {_options.ReconnectWait}.");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Appends a route to a base address, keeping any path base (<c>https://shop/personalize/</c>).</summary>
    internal static Uri Combine(Uri baseUrl, string route) =>
        new(baseUrl.AbsoluteUri.TrimEnd('/') + route);

    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HubException => false,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        InvalidOperationException or IOException or WebSocketException or HttpRequestException or TimeoutException => true,
        _ => false,
    };
}
