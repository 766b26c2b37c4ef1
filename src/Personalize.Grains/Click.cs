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
    [Id(3)] private string? _productId;
    [Id(4)] private string? _categoryId;
    [Id(6)] private decimal? _price;
    [Id(7)] private int? _quantity;
    [Id(8)] private ClickDetail? _detail;
    [Id(9)] private Guid _idGuid;
    [Id(10)] private byte _idForm;
    [Id(11)] private string? _idText;

    public string? ProductId { get => _productId; init => _productId = value; }
    public string? CategoryId { get => _categoryId; init => _categoryId = value; }
    public decimal? Price { get => _price; init => _price = value; }
    public int? Quantity { get => _quantity; init => _quantity = value; }
    public ClickDetail? Detail { get => _detail; init => _detail = value; }

    /// <summary>
    /// Changes each time <see cref="Overwrite"/> makes this object another click, so whoever kept a
    /// reference to it (the click tally) can tell the click it knew from the one now in its place.
    /// Not stored: it only has meaning within one activation.
    /// </summary>
    internal int Version => _version;
    [NonSerialized] private int _version;

    public string Type { get => SharedNames.Name(_type) ?? ""; init => _type = SharedNames.Index(value); }

    public DateTimeOffset At { get => new(_atTicks, TimeSpan.Zero); init => _atTicks = value.UtcTicks; }

    /// <summary>As sent (null when the event named none: web).</summary>
    public string? Channel { get => SharedNames.Name(_channel); init => _channel = value is null ? (byte)0 : SharedNames.Index(value); }

    /// <summary>The event id exactly as sent.</summary>
    public string Id
    {
        get => _idForm switch { IdGuidN => _idGuid.ToString("N"), IdGuidD => _idGuid.ToString("D"), _ => _idText ?? "" };
        init => SetId(value);
    }

    private void SetId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _idText = null;
        _idGuid = default;
        if (value.Length == 32 && Guid.TryParseExact(value, "N", out var n) && n.ToString("N") == value) (_idGuid, _idForm) = (n, IdGuidN);
        else if (value.Length == 36 && Guid.TryParseExact(value, "D", out var d) && d.ToString("D") == value) (_idGuid, _idForm) = (d, IdGuidD);
        else (_idText, _idForm) = (value, (byte)0);
    }

    private const byte IdGuidN = 1, IdGuidD = 2;

    /// <summary>The ring's copy of an accepted (time-stamped) event.</summary>
    public static Click From(ShopperEvent e)
    {
        var click = new Click();
        click.Set(e);
        return click;
    }

    /// <summary>
    /// Makes this object the ring's copy of <paramref name="e"/>, in place of the click it was: a full ring
    /// reuses the click that falls off its start for the one added at its end. A new object per event lived
    /// as long as the ring kept it (seconds to minutes), long enough to be promoted, so every event added to
    /// the garbage collector's work in the older generations; a reused one is promoted once.
    /// </summary>
    /// <remarks>Only for a click no one else holds but the ring (and the tally, which checks <see cref="Version"/>).</remarks>
    internal void Overwrite(ShopperEvent e)
    {
        Set(e, reusable: _detail);
        _version++;
    }

    private void Set(ShopperEvent e, ClickDetail? reusable = null)
    {
        ArgumentNullException.ThrowIfNull(e);
        var at = e.At ?? throw new ArgumentException("an accepted event has its time", nameof(e));
        SetId(e.Id);
        _type = SharedNames.Index(e.Type);
        _atTicks = at.UtcTicks;
        _channel = e.Channel is null ? (byte)0 : SharedNames.Index(e.Channel);
        _productId = e.ProductId;
        _categoryId = e.CategoryId;
        _price = e.Price;
        _quantity = e.Quantity;
        _detail = e.Query is null && e.OrderId is null && e.OrderTotal is null && e.Score is null && e.NudgeId is null && e.ReferralCode is null
            ? null
            : (reusable ?? new ClickDetail()).Set(e);
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
    [Id(0)] private string? _query;
    [Id(1)] private string? _orderId;
    [Id(2)] private decimal? _orderTotal;
    [Id(3)] private int? _score;
    [Id(4)] private string? _nudgeId;
    [Id(5)] private string? _referralCode;

    public string? Query { get => _query; init => _query = value; }
    public string? OrderId { get => _orderId; init => _orderId = value; }
    public decimal? OrderTotal { get => _orderTotal; init => _orderTotal = value; }
    public int? Score { get => _score; init => _score = value; }
    public string? NudgeId { get => _nudgeId; init => _nudgeId = value; }
    public string? ReferralCode { get => _referralCode; init => _referralCode = value; }

    /// <summary>Takes <paramref name="e"/>'s rarer fields (for a click made or reused for it).</summary>
    internal ClickDetail Set(ShopperEvent e)
    {
        (_query, _orderId, _orderTotal, _score, _nudgeId, _referralCode) = (e.Query, e.OrderId, e.OrderTotal, e.Score, e.NudgeId, e.ReferralCode);
        return this;
    }
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
