using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>
/// <c>GET /api/stats/nps</c> computed exactly from a known set of answers. This class owns its gateway
/// and no other test in it answers a survey, so the figures are exactly these answers.
/// </summary>
public sealed class NpsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private Storefront Shop => fixture.Storefront;

    private async Task AnswerAsync(string shopperId, int score)
    {
        var response = await Shop.Backend().PostAsJsonAsync("/api/events", new
        {
            shopperId, events = new[] { new { id = NewId("e"), type = "nps_response", score, channel = "email" } },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Nps_figures_are_exact_for_a_known_set_of_answers()
    {
        var empty = await Shop.Marketer().GetFromJsonAsync<JsonElement>("/api/stats/nps");
        Assert.Equal(0, empty.GetProperty("responses").GetInt64());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("score").ValueKind);

        // Promoters 10, 9, 9; passives 8, 7; detractors 6, 0, 3; and one shopper who answers 2 and then,
        // the same day, 10: their latest answer counts, once.
        foreach (var score in new[] { 10, 9, 9, 8, 7, 6, 0, 3 }) await AnswerAsync(NewId("s"), score);
        var changesMind = NewId("s");
        await AnswerAsync(changesMind, 2);
        await AnswerAsync(changesMind, 10);
        var bad = await Shop.Backend().PostAsJsonAsync("/api/events", new
        {
            shopperId = NewId("s"), events = new[] { new { id = NewId("e"), type = "nps_response", score = 11 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var nps = await Shop.Marketer().GetFromJsonAsync<JsonElement>("/api/stats/nps");
        foreach (var figures in new[] { nps, nps.GetProperty("last7Days"), nps.GetProperty("last30Days") })
        {
            Assert.Equal(9, figures.GetProperty("responses").GetInt64());
            Assert.Equal(4, figures.GetProperty("promoters").GetInt64());
            Assert.Equal(2, figures.GetProperty("passives").GetInt64());
            Assert.Equal(3, figures.GetProperty("detractors").GetInt64());
            // round(100 · (4 − 3) / 9) = round(11.1) = 11
            Assert.Equal(11, figures.GetProperty("score").GetInt32());
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await Shop.Client(null).GetAsync("/api/stats/nps")).StatusCode);
    }
}
