namespace Personalize.Grains;

/// <summary>The referral prompt's content: the shopper's code and link and both rewards.</summary>
public sealed partial class ShopperModel
{
    /// <summary>The programme in force; the grain sets it from its silo's cache before judging, the simulator keeps the defaults.</summary>
    public ReferralProgram ReferralProgram { get; set; } = new();

    private Nudge ReferralPrompt(Nudge nudge) => nudge with
    {
        Kind = NudgeKinds.ReferralPrompt,
        Code = State.ReferralCode,
        ShareUrl = State.ReferralCode is { } code ? ReferralProgram.ShareUrl(code) : null,
        ReferrerReward = ReferralProgram.ReferrerReward,
        FriendReward = ReferralProgram.FriendReward,
    };
}
