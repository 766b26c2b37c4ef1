namespace Personalize.Grains;

/// <summary>
/// One event as the click ring keeps it: what <c>count</c> conditions match on (type, product,
/// category, channel, time) and what <c>recentEvents</c> shows, without the rest of a
/// <see cref="ShopperEvent"/>. Order lines, device and network are not kept here (the basket, orders
/// and referral abuse rules keep what they need), and the rarer fields live in a <see cref="ClickDetail"/>
/// only when present. Type and channel are a byte each (both are validated names of the contract),
/// the time is UTC ticks, and a GUID-shaped id is 16 bytes instead of a string: a product view costs
/// one 104-byte object. The properties give everything back as the event had it (times in UTC).
/// </summary>
[GenerateSerializer, Alias("Personalize.Click")]
public sealed partial class Click
{
    [Id(0)] private byte _type;
    [Id(1)] private long _atTicks;
    [Id(2)] private byte _channel;
    [Id(3)] public string? ProductId { get; init; }
    [Id(4)] public string? CategoryId { get; init; }
    [Id(6)] public decimal? Price { get; init; }
    [Id(7)] public int? Quantity { get; init; }
    [Id(8)] public ClickDetail? Detail { get; init; }
    [Id(9)] private Guid _idGuid;
    [Id(10)] private byte _idForm;
    [Id(11)] private string? _idText;

    public string Type { get => SharedNames.Name(_type) ?? ""; init => _type = SharedNames.Index(value); }

    public DateTimeOffset At { get => new(_atTicks, TimeSpan.Zero); init => _atTicks = value.UtcTicks; }

    /// <summary>As sent (null when the event named none: web).</summary>
    public string? Channel { get => SharedNames.Name(_channel); init => _channel = value is null ? (byte)0 : SharedNames.Index(value); }

    /// <summary>The event id exactly as sent.</summary>
    public string Id
    {
        get => _idForm switch { IdGuidN => _idGuid.ToString("N"), IdGuidD => _idGuid.ToString("D"), _ => _idText ?? "" };
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length == 32 && Guid.TryParseExact(value, "N", out var n) && n.ToString("N") == value) (_idGuid, _idForm) = (n, IdGuidN);
            else if (value.Length == 36 && Guid.TryParseExact(value, "D", out var d) && d.ToString("D") == value) (_idGuid, _idForm) = (d, IdGuidD);
            else _idText = value;
        }
    }

    private const byte IdGuidN = 1, IdGuidD = 2;

    /// <summary>The ring's copy of an accepted (time-stamped) event.</summary>
    public static Click From(ShopperEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var detail = e.Query is null && e.OrderId is null && e.OrderTotal is null && e.Score is null && e.NudgeId is null && e.ReferralCode is null
            ? null
            : new ClickDetail
            {
                Query = e.Query, OrderId = e.OrderId, OrderTotal = e.OrderTotal, Score = e.Score, NudgeId = e.NudgeId, ReferralCode = e.ReferralCode,
            };
        return new Click
        {
            Id = e.Id,
            Type = e.Type,
            At = e.At ?? throw new ArgumentException("an accepted event has its time", nameof(e)),
            Channel = e.Channel,
            ProductId = e.ProductId,
            CategoryId = e.CategoryId,
            Price = e.Price,
            Quantity = e.Quantity,
            Detail = detail,
        };
    }

    /// <summary>The event as <c>recentEvents</c> shows it.</summary>
    public ShopperEvent ToEvent() => new()
    {
        Id = Id,
        Type = Type,
        At = At,
        Channel = Channel,
        ProductId = ProductId,
        CategoryId = CategoryId,
        Price = Price,
        Quantity = Quantity,
        Query = Detail?.Query,
        OrderId = Detail?.OrderId,
        OrderTotal = Detail?.OrderTotal,
        Score = Detail?.Score,
        NudgeId = Detail?.NudgeId,
        ReferralCode = Detail?.ReferralCode,
    };
}

/// <summary>The fields of a click that only some event types carry (search, purchase, NPS, nudge reports, referral landings).</summary>
[GenerateSerializer, Alias("Personalize.ClickDetail")]
public sealed class ClickDetail
{
    [Id(0)] public string? Query { get; init; }
    [Id(1)] public string? OrderId { get; init; }
    [Id(2)] public decimal? OrderTotal { get; init; }
    [Id(3)] public int? Score { get; init; }
    [Id(4)] public string? NudgeId { get; init; }
    [Id(5)] public string? ReferralCode { get; init; }
}

/// <summary>
/// The contract's event types and channels, numbered: a click keeps a byte instead of a string that
/// JSON parsing made fresh for every event. The numbers are stored, so names are only ever appended.
/// </summary>
public static class SharedNames
{
    private static readonly string[] Names =
    [
        "", EventTypes.PageView, EventTypes.ProductView, EventTypes.Search, EventTypes.AddToCart, EventTypes.RemoveFromCart,
        EventTypes.CheckoutStarted, EventTypes.Purchase, EventTypes.ReferralLanding, EventTypes.Share, EventTypes.NpsResponse,
        EventTypes.NudgeShown, EventTypes.NudgeClicked, EventTypes.NudgeDismissed, EventTypes.Consent, EventTypes.Refund,
        "web", "app", "pos", "email",
    ];

    private static readonly Dictionary<string, byte> Indexes =
        Names.Select((name, i) => (name, i)).Skip(1).ToDictionary(p => p.name, p => (byte)p.i, StringComparer.Ordinal);

    /// <summary>The number of a contract name; anything else is refused (events are validated before they get here).</summary>
    public static byte Index(string name) =>
        Indexes.TryGetValue(name, out var index) ? index : throw new ArgumentException($"'{name}' is not an event type or channel of the contract", nameof(name));

    /// <summary>The shared instance of a numbered name; null for 0 (none).</summary>
    public static string? Name(byte index) => index == 0 || index >= Names.Length ? null : Names[index];
}
