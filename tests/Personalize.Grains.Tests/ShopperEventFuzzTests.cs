using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Personalize.TestSupport;

namespace Personalize.Grains.Tests;

/// <summary>
/// Hostile JSON at the event parser: whatever arrives, reading it either fails with a
/// <see cref="JsonException"/> (a 400 or a hub error) or yields an event that
/// <see cref="ShopperEventValidator"/> judges without throwing. Nothing else may escape.
/// </summary>
public sealed class ShopperEventFuzzTests
{
    private static readonly string[] Seeds =
    [
        """{"id":"e-1","type":"purchase","orderId":"o-1","orderTotal":120.5,"lines":[{"productId":"p","categoryId":"c","quantity":2,"price":60.25}]}""",
        """{"id":"e-2","type":"add_to_cart","productId":"sku","price":19.99,"quantity":1,"channel":"web","at":"2026-11-23T12:00:00Z"}""",
        """{"id":"e-3","type":"referral_landing","referralCode":"ABCDEFGHJK","deviceId":"d","network":"198.51.100.0/24"}""",
        """{"id":"e-4","type":"nps_response","score":9}""",
        """{"id":"e-5","type":"consent","granted":false}""",
    ];

    // The options the gateway's HTTP binding and SignalR's JSON protocol both start from.
    private static readonly JsonSerializerOptions[] Options = [JsonSerializerOptions.Web, JsonSerializerOptions.Default];

    [Property(MaxTest = 1000)]
    public Property Hostile_json_is_read_or_refused_never_crashes() =>
        Prop.ForAll(Arb.From(JsonFuzz.Hostile(Seeds)), json => ReadsOrRefuses(json).Label(json));

    [Property(MaxTest = 300)]
    public Property Events_in_a_batch_array_are_read_or_refused_never_crash() =>
        Prop.ForAll(Arb.From(JsonFuzz.Mutated("[" + string.Join(",", Seeds) + "]")), json =>
        {
            foreach (var options in Options)
            {
                try
                {
                    foreach (var e in JsonSerializer.Deserialize<List<ShopperEvent>>(json, options) ?? [])
                        ShopperEventValidator.Validate(e, fromServer: true);
                }
                catch (JsonException)
                {
                    // Refused as malformed: the caller answers 400.
                }
            }
            return true;
        });

    [Fact]
    public void A_valid_seed_still_validates_so_the_generators_start_from_real_events()
    {
        foreach (var seed in Seeds)
            Assert.Empty(ShopperEventValidator.Validate(JsonSerializer.Deserialize<ShopperEvent>(seed, JsonSerializerOptions.Web), fromServer: false));
    }

    private static bool ReadsOrRefuses(string json)
    {
        foreach (var options in Options)
        {
            ShopperEvent? e;
            try
            {
                e = JsonSerializer.Deserialize<ShopperEvent>(json, options);
            }
            catch (JsonException)
            {
                continue;
            }
            ShopperEventValidator.Validate(e, fromServer: false);
            ShopperEventValidator.Validate(e, fromServer: true);
        }
        return true;
    }
}
