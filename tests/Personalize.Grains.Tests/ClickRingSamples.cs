namespace Personalize.Grains.Tests;

/// <summary>
/// A deterministic click ring with every shape a click can take: each event type and channel, GUID ids in both
/// forms and free-text ids, products and categories repeated and not, prices with and without decimals, the
/// rarer fields of searches, purchases, NPS answers, nudge reports and referral landings, and times out of order.
/// </summary>
internal static class ClickRingSamples
{
    private static readonly string[] Types =
    [
        EventTypes.PageView, EventTypes.ProductView, EventTypes.Search, EventTypes.AddToCart, EventTypes.RemoveFromCart,
        EventTypes.CheckoutStarted, EventTypes.Purchase, EventTypes.ReferralLanding, EventTypes.Share, EventTypes.NpsResponse,
        EventTypes.NudgeShown, EventTypes.NudgeClicked, EventTypes.NudgeDismissed, EventTypes.Consent, EventTypes.Refund,
    ];

    public static List<Click> Ring(int count = ShopperLimits.ClickRing)
    {
        var random = new Random(6);
        var start = new DateTimeOffset(2026, 11, 1, 9, 30, 0, TimeSpan.Zero);
        var ring = new List<Click>(count);
        for (var i = 0; i < count; i++)
        {
            var type = Types[i % Types.Length];
            var guid = new Guid(random.Next(), (short)random.Next(), (short)random.Next(), [.. Enumerable.Range(0, 8).Select(_ => (byte)random.Next(256))]);
            var id = (i % 3) switch { 0 => guid.ToString("N"), 1 => guid.ToString("D"), _ => $"evt-{i}-ü" };
            var product = i % 4 == 0 ? null : $"sku-{random.Next(12)}";
            ring.Add(Click.From(new ShopperEvent
            {
                Id = id,
                Type = type,
                // Mostly forward, sometimes back (merged rings, clock steps).
                At = start.AddMilliseconds(i * 1_700 + (i % 7 == 0 ? -5_000 : random.Next(900))),
                Channel = (i % 5) switch { 0 => null, 1 => "web", 2 => "app", 3 => "pos", _ => "email" },
                ProductId = product,
                CategoryId = product is null ? null : $"cat-{random.Next(3)}",
                Price = (i % 3) switch { 0 => null, 1 => random.Next(1, 500), _ => random.Next(1, 50_000) / 100m },
                Quantity = i % 4 == 1 ? random.Next(-2, 7) : null,
                Query = type == EventTypes.Search ? $"running shoes {i % 2}" : null,
                OrderId = type is EventTypes.Purchase or EventTypes.Refund ? $"order-{i}" : null,
                OrderTotal = type == EventTypes.Purchase ? 1234.5m + i : type == EventTypes.Refund ? -0.01m : null,
                Score = type == EventTypes.NpsResponse ? i % 11 : null,
                NudgeId = type.StartsWith("nudge_", StringComparison.Ordinal) ? $"n-{i:x8}" : null,
                ReferralCode = type == EventTypes.ReferralLanding ? "FRIEND-7Q2" : null,
            }));
        }
        return ring;
    }
}
