using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Personalize.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>What a silo needs besides Orleans itself to host the Personalize grains.</summary>
    public static IServiceCollection AddPersonalizeGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(ProductClock.Key, static (sp, _) => sp.GetRequiredService<TimeProvider>());
        services.AddOptions<NudgeOptions>()
            .Bind(configuration.GetSection(NudgeOptions.Section))
            .Validate(o => o.MaxPerShopperPerHour >= 1, $"{NudgeOptions.Section}:MaxPerShopperPerHour must be at least 1")
            .Validate(o => o.ClickFlushDelay > TimeSpan.Zero, $"{NudgeOptions.Section}:ClickFlushDelay must be positive")
            .Validate(o => o.ClickFlushesInFlight >= 1, $"{NudgeOptions.Section}:ClickFlushesInFlight must be at least 1")
            .ValidateOnStart();
        services.AddSingleton<TriggerCatalogCache>();
        services.AddHostedService(sp => sp.GetRequiredService<TriggerCatalogCache>());
        services.AddSingleton<TriggerBudgetLeases>();
        services.AddSingleton<ShopperFlushScheduler>();
        services.AddSingleton<ShopperServices>();
        services.AddTriggerStats();
        services.AddReferralProgramme();
        services.AddRecommendationsAndNps();
        return services;
    }
}
