namespace Personalize.Grains;

/// <summary>
/// One event as the click ring keeps it: what <c>count</c> conditions match on (type, product,
/// category, channel, time) and what <c>recentEvents</c> shows, without the rest of a
/// <see cref="ShopperEvent"/>. Order lines, device and network are not kept here (the basket, orders
/// and referral abuse rules keep what they need), and the rarer fields live in a <see cref="ClickDetail"/>
/// only when present, so a page or product view costs one small object. Type and channel are the
/// shared constant strings, not a copy per event.
/// </summary>
[GenerateSerializer, Alias("Personalize.Click")]
public sealed class Click
{
    [Id(0)] public string Type { get; init; } = "";
    [Id(1)] public DateTimeOffset At { get; init; }
    /// <summary>As sent (null when the event named none: web).</summary>
    [Id(2)] public string? Channel { get; init; }
    [Id(3)] public string? ProductId { get; init; }
    [Id(4)] public string? CategoryId { get; init; }
    /// <summary>The event id as sent; kept as 16 bytes when it is a GUID (what the SDKs make).</summary>
    public string Id { get => _id.ToString(); init => _id = CompactId.From(value); }
    [Id(6)] public decimal? Price { get; init; }
    [Id(7)] public int? Quantity { get; init; }
    [Id(8)] public ClickDetail? Detail { get; init; }
    [Id(9)] private CompactId _id;

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
            Type = SharedNames.Intern(e.Type),
            At = e.At ?? throw new ArgumentException("an accepted event has its time", nameof(e)),
            Channel = e.Channel is null ? null : SharedNames.Intern(e.Channel),
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

/// <summary>
/// An event id without a string object of its own when it is a lowercase GUID in the "N" (32 hex
/// digits, the .NET client) or "D" (dashed, the browser SDK's randomUUID) format: 16 bytes and a flag
/// instead of a 90-byte string. Any other id is kept as it came. <see cref="ToString"/> gives back the
/// exact id either way.
/// </summary>
[GenerateSerializer, Alias("Personalize.CompactId")]
public readonly struct CompactId
{
    [Id(0)] private readonly Guid _guid;
    [Id(1)] private readonly string? _text;
    [Id(2)] private readonly byte _format;

    private const byte AsText = 0, GuidN = 1, GuidD = 2;

    private CompactId(Guid guid, string? text, byte format) => (_guid, _text, _format) = (guid, text, format);

    public static CompactId From(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length == 32 && Guid.TryParseExact(id, "N", out var n) && n.ToString("N") == id) return new(n, null, GuidN);
        if (id.Length == 36 && Guid.TryParseExact(id, "D", out var d) && d.ToString("D") == id) return new(d, null, GuidD);
        return new(default, id, AsText);
    }

    public override string ToString() => _format switch
    {
        GuidN => _guid.ToString("N"),
        GuidD => _guid.ToString("D"),
        _ => _text ?? "",
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
/// The contract's event types and channels as single shared instances: a string parsed from JSON is a
/// fresh copy per event, and a shopper keeps up to a hundred of them.
/// </summary>
public static class SharedNames
{
    private static readonly Dictionary<string, string> Names =
        EventTypes.Client.Concat(EventTypes.ServerOnly).Concat(Channels.All).Distinct(StringComparer.Ordinal).ToDictionary(n => n, StringComparer.Ordinal);

    /// <summary>The shared instance of a known name; anything else as it is.</summary>
    public static string Intern(string name) => Names.TryGetValue(name, out var shared) ? shared : name;
}
