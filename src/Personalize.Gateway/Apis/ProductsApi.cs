using Personalize.Grains;

namespace Personalize.Gateway.Apis;

/// <summary>What the recommendation model learned (CONTRACT.md §4), for marketers and storefront backends.</summary>
public static class ProductsApi
{
    public const int DefaultCount = 10;

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products").RequireAuthorization(GatewayPolicies.MarketerOrStorefront);
        products.MapGet("/trending", GetTrendingAsync);
        products.MapGet("/{id}/also-bought", GetAlsoBoughtAsync);
        return app;
    }

    private static async Task<IResult> GetAlsoBoughtAsync(string id, int? count, IGrainFactory grains, IServiceProvider services)
    {
        if (CountProblem(count) is { } problem) return problem;
        if (id.Length > ShopperEventValidator.MaxFieldLength) return Problems.Validation("id", $"must be at most {ShopperEventValidator.MaxFieldLength} characters");
        await FlushLocalLearningAsync(services);
        var products = await grains.GetGrain<IProductGrain>(id).GetAlsoBoughtAsync(count ?? DefaultCount);
        return TypedResults.Ok(new { productId = id, products });
    }

    private static async Task<IResult> GetTrendingAsync(int? count, IGrainFactory grains, IServiceProvider services)
    {
        if (CountProblem(count) is { } problem) return problem;
        await FlushLocalLearningAsync(services);
        var products = await grains.GetGrain<ITrendingGrain>(0).GetTrendingAsync(count ?? DefaultCount);
        return TypedResults.Ok(new { windowHours = TrendingWindow.Buckets, products });
    }

    private static IResult? CountProblem(int? count) =>
        count is < 1 or > ProductGrain.MaxListed ? Problems.Validation("count", $"must be 1..{ProductGrain.MaxListed}") : null;

    /// <summary>A gateway hosting a silo sends what it learned first, so purchases just made show at once.</summary>
    private static Task FlushLocalLearningAsync(IServiceProvider services) =>
        services.GetService<RecommendationCollector>() is { } collector ? collector.FlushAsync() : Task.CompletedTask;
}
