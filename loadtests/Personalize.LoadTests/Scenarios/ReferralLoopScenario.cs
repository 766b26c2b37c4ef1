using System.Diagnostics;
using Personalize.Client;
using Personalize.LoadTests.Engine;
using Personalize.LoadTests.Targets;

namespace Personalize.LoadTests.Scenarios;

/// <summary>
/// Referrer and friend pairs through the whole loop: the referrer connects and asks for its link, the
/// friend connects, lands with the code (expects an <c>offer</c> with the friend reward) and buys for
/// 100 (the referrer expects a <c>reward</c>). Each step is one fresh pair.
/// </summary>
public sealed class ReferralLoopScenario(ScenarioSettings settings, Target target, HttpClient http, string runId)
    : Scenario(settings, target, http, runId)
{
    private static readonly TimeSpan PushWait = TimeSpan.FromSeconds(10);

    /// <summary>One step is a whole pair flow, so the closed model fits: a fixed number of pairs in flight.</summary>
    public override IReadOnlyList<LoadSimulation> Simulations => Settings.Load == "concurrency" || Settings.Load == "ramp"
        ? Settings.KeepConstantWithWarmUp(Math.Max(1, Math.Min(Settings.Concurrency, Settings.Shoppers / 2)))
        : (Settings with { Load = "constant" }).SteadySimulations();

    public override async Task InitAsync(Action<string> say, CancellationToken cancellationToken)
    {
        if (!Target.IsEcho)
        {
            say("enabling the referral programme through the marketer API");
            await MarketerApi.EnableReferralProgramAsync(Http, Target, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1.5), cancellationToken);
        }
    }

    public override async Task StepAsync(long sequence)
    {
        var friendOffer = new PushWaiter(p => p is OfferPush);
        var referrerReward = new PushWaiter(p => p is RewardPush);
        ShopperSession? referrer = null;
        ShopperSession? friend = null;
        try
        {
            referrer = await ShopperSession.CreateAsync(Target, Http, $"lt-{RunId}-r{sequence}", Stats, referrerReward.OnPush, CancellationToken.None);
            friend = await ShopperSession.CreateAsync(Target, Http, $"lt-{RunId}-f{sequence}", Stats, friendOffer.OnPush, CancellationToken.None);
            if (!await referrer.ConnectAsync(Stats, CancellationToken.None) || !await friend.ConnectAsync(Stats, CancellationToken.None))
            {
                return;
            }
            var link = await referrer.Client.GetReferralLinkAsync();

            friendOffer.SentAt = Stopwatch.GetTimestamp();
            if (!await TrackAsync(friend, new ShopperEvent { Type = EventTypes.ReferralLanding, ReferralCode = link.Code }))
            {
                return;
            }
            referrerReward.SentAt = Stopwatch.GetTimestamp();
            if (!await TrackAsync(friend, new ShopperEvent { Type = EventTypes.Purchase, OrderId = $"lt-{RunId}-o{sequence}", OrderTotal = 100 }))
            {
                return;
            }
            await Task.WhenAll(friendOffer.WaitAsync(PushWait), referrerReward.WaitAsync(PushWait));
        }
        catch (Exception ex)
        {
            Stats.CountError("referral pair", ex);
        }
        finally
        {
            Record(friendOffer);
            Record(referrerReward);
            if (friend is not null)
            {
                await friend.DisposeAsync();
            }
            if (referrer is not null)
            {
                await referrer.DisposeAsync();
            }
        }
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<bool> TrackAsync(ShopperSession session, ShopperEvent shopperEvent)
    {
        Stats.CountSent();
        var sentAt = Stopwatch.GetTimestamp();
        var result = await session.Client.TrackAsync(shopperEvent);
        Stats.Track.RecordSince(sentAt);
        if (!result.Accepted)
        {
            Stats.CountError($"Track {shopperEvent.Type} not accepted");
            return false;
        }
        Stats.CountAcknowledged();
        Stats.ExpectPush();
        return true;
    }

    /// <summary>Counts a pair's push only once its flow is over, so a late push is lost, not half-counted.</summary>
    private void Record(PushWaiter waiter)
    {
        if (waiter.ReceivedAt is { } receivedAt && waiter.SentAt != 0)
        {
            Stats.Push.Record(Stopwatch.GetElapsedTime(waiter.SentAt, receivedAt));
            Stats.CountPushReceived();
        }
    }

    /// <summary>Waits for the first push of one kind on one shopper's connection.</summary>
    private sealed class PushWaiter(Func<Push, bool> wanted)
    {
        private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long SentAt { get; set; }
        public long? ReceivedAt { get; private set; }

        public void OnPush(ShopperSession session, Push push)
        {
            if (wanted(push) && ReceivedAt is null)
            {
                ReceivedAt = Stopwatch.GetTimestamp();
                _received.TrySetResult();
            }
        }

        public Task WaitAsync(TimeSpan timeout) => Task.WhenAny(_received.Task, Task.Delay(timeout));
    }
}
