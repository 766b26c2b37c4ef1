using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Personalize.Grains;

public static class ReferralServiceCollectionExtensions
{
    /// <summary>The silo-local parts of the referral programme: settings cache, funnel collector, fault hook.</summary>
    public static IServiceCollection AddReferralProgramme(this IServiceCollection services)
    {
        services.AddSingleton<ReferralProgramCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferralProgramCache>());
        services.AddSingleton<ReferralStatsCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferralStatsCollector>());
        services.TryAddSingleton<ReferralHandoffFaults>();
        // Bound from the host's own configuration, so a silo and an embedded gateway read the same keys.
        services.AddOptions<ReferralAbuseOptions>()
            .BindConfiguration(ReferralAbuseOptions.Section)
            .Validate(o => o.MaxLandingsPerCodePerHour >= 1 && o.MaxLandingsPerShopperPerHour >= 1 && o.MaxUnknownCodesPerShopperPerHour >= 1,
                $"{ReferralAbuseOptions.Section}: every limit must be at least 1")
            .ValidateOnStart();
        return services;
    }
}
