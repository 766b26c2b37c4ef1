using Microsoft.Extensions.Time.Testing;

namespace Personalize.Grains.Tests;

/// <summary>The grain's list of subscribed gateways, on a clock of its own (no cluster needed).</summary>
public sealed class ShopperSubscribersTests
{
    private static readonly Nudge Push = new()
    {
        Id = "n1", TriggerId = "t1", Kind = "offer", Title = "t", Message = "m",
        CreatedAt = DateTimeOffset.UnixEpoch, ExpiresAt = DateTimeOffset.UnixEpoch.AddHours(1),
    };

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task A_subscription_is_new_once_renewals_keep_it_and_silence_expires_it()
    {
        var subscribers = new ShopperSubscribers(TimeSpan.FromMinutes(2), _clock);
        var gateway = new RecordingObserver();

        Assert.True(subscribers.Subscribe(gateway));
        _clock.Advance(TimeSpan.FromSeconds(90));
        Assert.False(subscribers.Subscribe(gateway));
        _clock.Advance(TimeSpan.FromSeconds(90));
        await subscribers.NotifyAsync(o => o.PushAsync("s1", Push));
        Assert.Single(gateway.Pushes);

        _clock.Advance(TimeSpan.FromMinutes(3));
        await subscribers.NotifyAsync(o => o.PushAsync("s1", Push));
        Assert.Single(gateway.Pushes);
        Assert.Equal(0, subscribers.Count);
    }

    [Fact]
    public async Task Every_gateway_gets_the_push_and_a_failing_or_unsubscribed_one_is_dropped()
    {
        var subscribers = new ShopperSubscribers(TimeSpan.FromMinutes(2), _clock);
        var first = new RecordingObserver();
        var second = new RecordingObserver();
        var gone = new FailingObserver();
        subscribers.Subscribe(first);
        subscribers.Subscribe(second);
        subscribers.Subscribe(gone);

        await subscribers.NotifyAsync(o => o.PushAsync("s1", Push));
        Assert.Single(first.Pushes);
        Assert.Single(second.Pushes);
        Assert.Equal(2, subscribers.Count);

        subscribers.Unsubscribe(first);
        await subscribers.NotifyAsync(o => o.PushAsync("s1", Push));
        Assert.Single(first.Pushes);
        Assert.Equal(2, second.Pushes.Count);
    }

    [Fact]
    public async Task Pushes_and_renewals_to_live_gateways_allocate_nothing()
    {
        var subscribers = new ShopperSubscribers(TimeSpan.FromMinutes(2), _clock);
        var gateway = new CountingObserver();
        subscribers.Subscribe(gateway);
        subscribers.Subscribe(new CountingObserver());
        Func<IShopperObserver, Task> push = static o => o.PushAsync("s1", Push);
        // Warm-up: tiered JIT (code at its first tier may allocate where optimized code does not).
        for (var i = 0; i < 500; i++)
        {
            subscribers.Subscribe(gateway);
            await subscribers.NotifyAsync(push);
        }
        await Task.Delay(500);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            subscribers.Subscribe(gateway);
            await subscribers.NotifyAsync(push);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1_500, gateway.Count);
        Assert.Equal(0, allocated);
    }

    private sealed class CountingObserver : IShopperObserver
    {
        public int Count { get; private set; }

        public Task PushAsync(string shopperId, Nudge nudge)
        {
            Count++;
            return Task.CompletedTask;
        }
    }

    private sealed class FailingObserver : IShopperObserver
    {
        public Task PushAsync(string shopperId, Nudge nudge) => throw new InvalidOperationException("gateway gone");
    }
}
