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
        return services;
    }
}
