using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>The referral loop judged from outside: a real gateway, real connections for referrer and friend.</summary>
public sealed class ReferralTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private Storefront Shop => fixture.Storefront;

    private static readonly object Program = new
    {
        enabled = true, shareBaseUrl = "https://shop.example/r/",
        friendReward = new { kind = "percent", value = 15 },
        referrerReward = new { kind = "amount", value = 10, currency = "EUR" },
        minOrderTotal = 30, attributionWindowDays = 30, maxRewardsPerReferrerPerMonth = 10, confirmAfterDays = 14,
    };

    private async Task PutProgramAsync()
    {
        var response = await Shop.Marketer().PutAsJsonAsync("/api/referral-program", Program);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> StatsAsync() =>
        await Shop.Marketer().GetFromJsonAsync<JsonElement>("/api/stats/referrals");

    private static long Get(JsonElement stats, string name) => stats.GetProperty(name).GetInt64();
    private static long Rejected(JsonElement stats, string name) => stats.GetProperty("rejected").GetProperty(name).GetInt64();

    private static object Landing(string code) => new { id = NewId("e"), type = "referral_landing", referralCode = code };
    private static object Purchase(string orderId, decimal orderTotal) => new { id = NewId("e"), type = "purchase", orderId, orderTotal };

    /// <summary>The next push of the given kind, skipping others.</summary>
    private static async Task<JsonElement?> NextOfKindAsync(Connection connection, string kind, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (DateTime.UtcNow < deadline)
        {
            if (await connection.NextPushAsync(deadline - DateTime.UtcNow) is not { } push) return null;
            if (push.GetProperty("kind").GetString() == kind) return push;
        }
        return null;
    }

    [Fact]
    public async Task Programme_settings_are_validated_and_round_trip()
    {
        var bad = await Shop.Marketer().PutAsJsonAsync("/api/referral-program", new
        {
            enabled = true, shareBaseUrl = "not a url", friendReward = new { kind = "bogus", value = 1 },
            referrerReward = new { kind = "amount", value = 10 }, minOrderTotal = -1, attributionWindowDays = 0,
            maxRewardsPerReferrerPerMonth = 10, confirmAfterDays = 14,
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "shareBaseUrl", "friendReward.kind", "referrerReward.currency", "minOrderTotal", "attributionWindowDays" })
            Assert.True(errors.TryGetProperty(field, out _), field);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Shop.Backend().GetAsync("/api/referral-program")).StatusCode);
        await PutProgramAsync();
        var stored = await Shop.Marketer().GetFromJsonAsync<JsonElement>("/api/referral-program");
        Assert.Equal(14, stored.GetProperty("confirmAfterDays").GetInt32());
        Assert.Equal("EUR", stored.GetProperty("referrerReward").GetProperty("currency").GetString());
    }

    [Fact]
    public async Task Friend_lands_gets_the_offer_purchases_and_the_referrer_is_rewarded_live_once()
    {
        await PutProgramAsync();
        var before = await StatsAsync();
        var referrerId = NewId("ref");
        await using var referrer = await Shop.ConnectAsync(referrerId);
        var link = await referrer.Hub.InvokeAsync<JsonElement>("GetReferralLink");
        var code = link.GetProperty("code").GetString()!;
        Assert.True(code.Length >= 8);
        Assert.Equal("https://shop.example/r/" + code, link.GetProperty("shareUrl").GetString());
        Assert.Equal(code, (await referrer.Hub.InvokeAsync<JsonElement>("GetReferralLink")).GetProperty("code").GetString());
        await referrer.TrackAsync(new { id = NewId("e"), type = "share" });

        await using var friend = await Shop.ConnectAsync(NewId("fr"));
        await friend.TrackAsync(Landing(code));
        var offer = await NextOfKindAsync(friend, "offer");
        Assert.NotNull(offer);
        Assert.Equal(15, offer.Value.GetProperty("discount").GetProperty("value").GetDecimal());
        Assert.True((await friend.StateAsync()).GetProperty("referredBy").GetBoolean());

        var order = NewId("o");
        await friend.TrackAsync(Purchase(order, 60));
        var reward = await NextOfKindAsync(referrer, "reward");
        Assert.NotNull(reward);
        Assert.Equal(10, reward.Value.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", reward.Value.GetProperty("currency").GetString());
        Assert.Equal("pending", reward.Value.GetProperty("status").GetString());
        Assert.DoesNotContain(order, reward.Value.GetRawText());

        await friend.TrackAsync(Purchase(order, 60));           // the same order sent twice
        await friend.TrackAsync(Purchase(NewId("o"), 80));      // a later order
        Assert.Null(await NextOfKindAsync(referrer, "reward", TimeSpan.FromMilliseconds(500)));
        var view = await referrer.StateAsync();
        Assert.Equal(code, view.GetProperty("referralCode").GetString());
        Assert.Equal(1, view.GetProperty("rewards").GetArrayLength());

        var after = await StatsAsync();
        Assert.Equal(1, Get(after, "shares") - Get(before, "shares"));
        Assert.Equal(1, Get(after, "landings") - Get(before, "landings"));
        Assert.Equal(1, Get(after, "attributed") - Get(before, "attributed"));
        Assert.Equal(1, Get(after, "qualified") - Get(before, "qualified"));
        Assert.Equal(1, Get(after, "rewardsPending") - Get(before, "rewardsPending"));
        Assert.True(after.TryGetProperty("kFactor", out _));
    }

    [Fact]
    public async Task Promoters_are_asked_to_refer_with_their_code_link_and_both_rewards_detractors_never()
    {
        await PutProgramAsync();
        var before = await StatsAsync();
        var trigger = NewId("ask");
        await Shop.CreateTriggerAsync($$"""
            { "id": "{{trigger}}", "name": "Ask promoters", "priority": 50, "on": { "event": "nps_response" },
              "conditions": [ { "fact": "event.score", "op": "gte", "value": 9 } ],
              "action": { "type": "referralPrompt", "title": "Share the love", "message": "Give 15%, get 10 EUR", "ttlSeconds": 3600 } }
            """);

        await using var detractor = await Shop.ConnectAsync(NewId("s"));
        await detractor.TrackAsync(new { id = NewId("e"), type = "nps_response", score = 3 });
        Assert.Null(await NextOfKindAsync(detractor, "referralPrompt", TimeSpan.FromMilliseconds(400)));

        await using var promoter = await Shop.ConnectAsync(NewId("s"));
        await promoter.TrackAsync(new { id = NewId("e"), type = "nps_response", score = 10 });
        var prompt = await NextOfKindAsync(promoter, "referralPrompt");
        Assert.NotNull(prompt);
        var code = prompt.Value.GetProperty("code").GetString()!;
        Assert.Equal(code, (await promoter.Hub.InvokeAsync<JsonElement>("GetReferralLink")).GetProperty("code").GetString());
        Assert.Equal("https://shop.example/r/" + code, prompt.Value.GetProperty("shareUrl").GetString());
        Assert.Equal(10, prompt.Value.GetProperty("referrerReward").GetProperty("value").GetDecimal());
        Assert.Equal("percent", prompt.Value.GetProperty("friendReward").GetProperty("kind").GetString());
        Assert.Equal(1, Get(await StatsAsync(), "prompts") - Get(before, "prompts"));
    }

    [Fact]
    public async Task A_referrer_offline_finds_the_reward_pending_on_the_next_visit()
    {
        await PutProgramAsync();
        var referrerId = NewId("ref");
        string code;
        await using (var first = await Shop.ConnectAsync(referrerId))
            code = (await first.Hub.InvokeAsync<JsonElement>("GetReferralLink")).GetProperty("code").GetString()!;

        await using var friend = await Shop.ConnectAsync(NewId("fr"));
        await friend.TrackAsync(Landing(code));
        await friend.TrackAsync(Purchase(NewId("o"), 40));

        await using var back = await Shop.ConnectAsync(referrerId);
        Assert.NotNull(await NextOfKindAsync(back, "reward"));
    }

    [Fact]
    public async Task Self_referral_and_unknown_codes_are_rejected_and_counted()
    {
        await PutProgramAsync();
        var before = await StatsAsync();
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        var code = (await shopper.Hub.InvokeAsync<JsonElement>("GetReferralLink")).GetProperty("code").GetString()!;
        await shopper.TrackAsync(Landing(code));
        await shopper.TrackAsync(Landing("XXXXXXXXXX"));
        Assert.Null(await NextOfKindAsync(shopper, "offer", TimeSpan.FromMilliseconds(400)));
        Assert.False((await shopper.StateAsync()).GetProperty("referredBy").GetBoolean());

        var after = await StatsAsync();
        Assert.Equal(1, Rejected(after, "selfReferral") - Rejected(before, "selfReferral"));
        Assert.Equal(1, Rejected(after, "invalidCode") - Rejected(before, "invalidCode"));
        Assert.Equal(0, Get(after, "attributed") - Get(before, "attributed"));
    }

    [Fact]
    public async Task Refund_from_the_backend_reverses_the_reward()
    {
        await PutProgramAsync();
        var before = await StatsAsync();
        var referrerId = NewId("ref");
        await using var referrer = await Shop.ConnectAsync(referrerId);
        var code = (await referrer.Hub.InvokeAsync<JsonElement>("GetReferralLink")).GetProperty("code").GetString()!;
        var friendId = NewId("fr");
        await using var friend = await Shop.ConnectAsync(friendId);
        await friend.TrackAsync(Landing(code));
        var order = NewId("o");
        await friend.TrackAsync(Purchase(order, 50));
        Assert.NotNull(await NextOfKindAsync(referrer, "reward"));

        var refund = await Shop.Backend().PostAsJsonAsync("/api/events",
            new { shopperId = friendId, events = new[] { new { id = NewId("e"), type = "refund", orderId = order } } });
        Assert.Equal(HttpStatusCode.Accepted, refund.StatusCode);

        var rewards = (await referrer.StateAsync()).GetProperty("rewards");
        Assert.Equal("reversed", Assert.Single(rewards.EnumerateArray()).GetProperty("status").GetString());
        var after = await StatsAsync();
        Assert.Equal(1, Get(after, "rewardsReversed") - Get(before, "rewardsReversed"));
        Assert.Equal(0, Get(after, "rewardsPending") - Get(before, "rewardsPending"));
    }
}
