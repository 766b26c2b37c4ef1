using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace Personalize.Client;

public sealed class PersonalizeClientOptions
{
    /// <summary>The gateway, e.g. <c>http://127.0.0.1:5080</c>; the hub is <c>{BaseUrl}/hubs/shopper</c>.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>
    /// Supplies the shopper token on every (re)connect, so an expired token can be replaced by minting a
    /// new one here (see <see cref="PersonalizeClient.MintTokenAsync"/>).
    /// </summary>
    public required Func<Task<string?>> AccessTokenProvider { get; init; }

    /// <summary>Reports <c>nudge_shown</c> for every push raised; for headless clients and load tests.</summary>
    public bool ReportShown { get; init; }

    /// <summary>How many recent push ids are remembered to drop replays.</summary>
    public int DedupCapacity { get; init; } = 512;

    /// <summary>Attempts of one <c>Track</c> (first try included) when the connection fails under it.</summary>
    public int MaxTrackAttempts { get; init; } = 4;

    /// <summary>Pause before the second attempt; doubled for each further one.</summary>
    public TimeSpan TrackRetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a call waits for a reconnecting connection before it counts as failed.</summary>
    public TimeSpan ReconnectWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect schedule; by default a storefront keeps trying for as long as it is open.</summary>
    public IRetryPolicy ReconnectPolicy { get; init; } = new ForeverRetryPolicy();

    /// <summary>
    /// Connects straight to the WebSocket, without SignalR's negotiate request: what a gateway reached
    /// through a balancer without sticky sessions needs, and no idle keep-alive HTTP connection is left
    /// beside the WebSocket. Off by default (negotiation can fall back to other transports).
    /// </summary>
    public bool DirectWebSocket { get; init; }

    /// <summary>Transport tuning (transports, handlers, headers) for hosts that need it; applied last.</summary>
    public Action<HttpConnectionOptions>? ConfigureConnection { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }
}

/// <summary>0, 1, 2, 5 s, then every 10 s: quick after a blip, gentle on a gateway that is down.</summary>
public sealed class ForeverRetryPolicy : IRetryPolicy
{
    private static readonly TimeSpan[] Delays =
        [TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        ArgumentNullException.ThrowIfNull(retryContext);
        return retryContext.PreviousRetryCount < Delays.Length
            ? Delays[retryContext.PreviousRetryCount]
            : TimeSpan.FromSeconds(10);
    }
}
