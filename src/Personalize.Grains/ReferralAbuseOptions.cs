namespace Personalize.Grains;

/// <summary>
/// <c>Personalize:Referral:Abuse</c>: velocity limits on referral landings. A landing over a limit
/// attributes nothing and is counted as <c>rateLimited</c>.
/// </summary>
public sealed class ReferralAbuseOptions
{
    public const string Section = "Personalize:Referral:Abuse";

    /// <summary>Landings one code may attribute per hour, across all shoppers (a code posted to a bot farm).</summary>
    public int MaxLandingsPerCodePerHour { get; set; } = 60;

    /// <summary>Landings one shopper (and so each of their connections) may make per hour, whatever the codes.</summary>
    public int MaxLandingsPerShopperPerHour { get; set; } = 5;

    /// <summary>
    /// Unknown codes one shopper may try per hour; after that no code is even looked up, so guessing
    /// codes (enumeration) learns nothing.
    /// </summary>
    public int MaxUnknownCodesPerShopperPerHour { get; set; } = 3;
}
