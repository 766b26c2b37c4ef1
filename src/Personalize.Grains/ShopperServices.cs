using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Personalize.Grains;

/// <summary>
/// The silo services a shopper grain uses, in one singleton: the grain keeps one reference to it
/// instead of a field per service (a hundred bytes per activation, times every idle shopper). Services
/// only some shoppers need (referrals, recommendations, NPS) are resolved on first use, as the grain did.
/// </summary>
public sealed class ShopperServices(
    IServiceProvider services,
    TriggerCatalogCache catalogs,
    TriggerBudgetLeases budget,
    ITriggerStatsSink stats,
    [FromKeyedServices(ProductClock.Key)] TimeProvider time,
    IOptions<NudgeOptions> nudgeOptions,
    ShopperFlushScheduler flusher)
{
    private RecommendationCollector? _learning;
    private RecommendationCache? _recommendationCache;
    private NpsStatsCollector? _npsCounters;
    private ReferralProgramCache? _referralPrograms;
    private ReferralStatsCollector? _referralCounters;
    private ReferralHandoffFaults? _referralFaults;
    private ReferralAbuseOptions? _abuseLimits;

    public TriggerCatalogCache Catalogs { get; } = catalogs;
    public TriggerBudgetLeases Budget { get; } = budget;
    public ITriggerStatsSink Stats { get; } = stats;
    public TimeProvider Time { get; } = time;
    public NudgeOptions Options { get; } = nudgeOptions.Value;
    public ShopperFlushScheduler Flusher { get; } = flusher;

    // Singletons all: a race resolves the same instance twice, which is harmless.
    public RecommendationCollector Learning => _learning ??= services.GetRequiredService<RecommendationCollector>();
    public RecommendationCache RecommendationCache => _recommendationCache ??= services.GetRequiredService<RecommendationCache>();
    public NpsStatsCollector NpsCounters => _npsCounters ??= services.GetRequiredService<NpsStatsCollector>();
    public ReferralProgramCache ReferralPrograms => _referralPrograms ??= services.GetRequiredService<ReferralProgramCache>();
    public ReferralStatsCollector ReferralCounters => _referralCounters ??= services.GetRequiredService<ReferralStatsCollector>();
    public ReferralHandoffFaults ReferralFaults => _referralFaults ??= services.GetRequiredService<ReferralHandoffFaults>();
    public ReferralAbuseOptions AbuseLimits => _abuseLimits ??= services.GetRequiredService<IOptions<ReferralAbuseOptions>>().Value;
}
