using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Personalize.Grains.Tests;

/// <summary>The packed click ring (<see cref="Click.PackRing"/>) against rings of arbitrary clicks.</summary>
public sealed class ClickRingFormatTests
{
    private static readonly string[] Types = [.. EventTypes.Client, .. EventTypes.ServerOnly];

    // Text as a parsed JSON string can hold it: any UTF-16 without lone surrogates (UTF-8, like Orleans' own
    // string codec, cannot carry those, and the JSON reader refuses them before an event gets here).
    private static readonly Gen<string> Text =
        from chars in Gen.ArrayOf(Gen.OneOf(Gen.Choose(0x20, 0x7E), Gen.Choose(0, 0xD7FF), Gen.Choose(0xE000, 0xFFFF)).Select(c => (char)c))
        select new string(chars);

    private static readonly Gen<string?> Id =
        Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements<string?>("sku-1", "sku-2", "cat-1"), Text.Select(t => (string?)t));

    private static readonly Gen<decimal?> Amount =
        from present in Gen.Elements(true, false)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        from mid in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(int.MinValue, int.MaxValue)))
        from hi in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(int.MinValue, int.MaxValue)))
        from negative in Gen.Elements(true, false)
        from scale in Gen.Choose(0, 28)
        select present ? new decimal(lo, mid, hi, negative, (byte)scale) : (decimal?)null;

    private static readonly Gen<int?> Number =
        Gen.OneOf(Gen.Constant<int?>(null), Gen.Choose(-20, 20).Select(n => (int?)n), Gen.Choose(int.MinValue, int.MaxValue).Select(n => (int?)n));

    private static readonly Gen<Guid> Guids =
        from a in Gen.Choose(int.MinValue, int.MaxValue)
        from b in Gen.Choose(int.MinValue, int.MaxValue)
        from c in Gen.Choose(int.MinValue, int.MaxValue)
        from d in Gen.Choose(int.MinValue, int.MaxValue)
        select new Guid(a, (short)b, (short)(b >> 16), (byte)c, (byte)(c >> 8), (byte)(c >> 16), (byte)(c >> 24),
            (byte)d, (byte)(d >> 8), (byte)(d >> 16), (byte)(d >> 24));

    private static readonly Gen<ShopperEvent> AnyEvent =
        from type in Gen.Elements(Types)
        from idForm in Gen.Choose(0, 2)
        from guid in Guids
        from text in Text
        from seconds in Gen.Choose(-400_000_000, 400_000_000)
        from channel in Gen.Elements<string?>(null, "web", "app", "pos", "email")
        from product in Id
        from category in Id
        from price in Amount
        from quantity in Number
        from query in Id
        from orderId in Id
        from total in Amount
        from score in Number
        from nudgeId in Id
        from code in Id
        select new ShopperEvent
        {
            Id = idForm switch { 0 => guid.ToString("N"), 1 => guid.ToString("D"), _ => text },
            Type = type,
            At = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(seconds),
            Channel = channel,
            ProductId = product,
            CategoryId = category,
            Price = price,
            Quantity = quantity,
            Query = query,
            OrderId = orderId,
            OrderTotal = total,
            Score = score,
            NudgeId = nudgeId,
            ReferralCode = code,
        };

    private static readonly Gen<Click> AnyClick = AnyEvent.Select(Click.From);

    /// <summary>A full ring reuses its oldest click object for the newest event: the reused one must be that event and nothing of the click it was.</summary>
    [Property(MaxTest = 300)]
    public Property A_click_overwritten_with_an_event_is_the_click_made_from_it() =>
        Prop.ForAll(Arb.From(AnyEvent), Arb.From(AnyEvent), (was, now) =>
        {
            var reused = Click.From(was);
            var version = reused.Version;
            reused.Overwrite(now);
            var made = Click.From(now);
            return (reused.ToEvent() == made.ToEvent()
                    && Click.PackRing([reused]).AsSpan().SequenceEqual(Click.PackRing([made]))
                    && reused.Version != version)
                .Label($"{was.Type} overwritten by {now.Type}");
        });

    [Property(MaxTest = 300)]
    public Property Any_ring_unpacks_to_the_clicks_it_was_packed_from() =>
        Prop.ForAll(Arb.From(Gen.ListOf(AnyClick).Select(l => l.ToList())), ring =>
        {
            var back = Click.UnpackRing(Click.PackRing(ring));
            return back.Select(c => c.ToEvent()).SequenceEqual(ring.Select(c => c.ToEvent()))
                .Label($"{ring.Count} clicks");
        });

    [Property(MaxTest = 300)]
    public Property Every_cut_of_a_packed_ring_is_refused() =>
        Prop.ForAll(Arb.From(Gen.NonEmptyListOf(AnyClick).Select(l => l.ToList())), Arb.From(Gen.Choose(0, int.MaxValue)), (ring, at) =>
        {
            var packed = Click.PackRing(ring);
            var cut = at % packed.Length;
            try
            {
                Click.UnpackRing(packed.AsSpan(0, cut));
                return false.Label($"cut at {cut} of {packed.Length} was read");
            }
            catch (InvalidDataException)
            {
                return true.ToProperty();
            }
        });
}
