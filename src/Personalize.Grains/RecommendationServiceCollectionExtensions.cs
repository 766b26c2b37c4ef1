using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

public static class RecommendationServiceCollectionExtensions
{
    /// <summary>The silo-local parts of recommendations and NPS: the purchase learner, the list cache, the NPS collector.</summary>
    public static IServiceCollection AddRecommendationsAndNps(this IServiceCollection services)
    {
        services.AddSingleton<RecommendationCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<RecommendationCollector>());
        services.AddSingleton<RecommendationCache>();
        services.AddSingleton<NpsStatsCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<NpsStatsCollector>());
        return services;
    }
}
