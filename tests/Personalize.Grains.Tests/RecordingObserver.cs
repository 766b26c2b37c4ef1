using System.Collections.Concurrent;

namespace Personalize.Grains.Tests;

/// <summary>A gateway stand-in: records the pushes a grain sends to its observer.</summary>
public sealed class RecordingObserver : IShopperObserver
{
    public ConcurrentQueue<(string ShopperId, Nudge Nudge)> Pushes { get; } = new();

    public Task PushAsync(string shopperId, Nudge nudge)
    {
        Pushes.Enqueue((shopperId, nudge));
        return Task.CompletedTask;
    }

    /// <summary>Observer calls are one-way: wait briefly for them to arrive.</summary>
    public async Task<IReadOnlyList<Nudge>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (Pushes.Count < count && DateTime.UtcNow < deadline) await Task.Delay(20);
        return [.. Pushes.Select(p => p.Nudge)];
    }
}
