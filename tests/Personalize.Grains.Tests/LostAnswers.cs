using System.Collections.Concurrent;

namespace Personalize.Grains.Tests;

/// <summary>
/// A silo call filter that loses the answers of chosen grains' flushes after they have handled them, as a
/// response timeout or a silo lost after the write would: the state changed, the caller sees an error. It
/// also records, per grain key, every flushed batch (<see cref="FlushId"/> and delta) the grain received.
/// </summary>
public sealed class LostAnswers : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<string, int> ToLose = new();
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<(FlushId Flush, object? Batch)>> Received = new();

    /// <summary>The answers of the next <paramref name="count"/> flushes to the grain whose key is <paramref name="key"/> are lost.</summary>
    public static void LoseNext(string key, int count = 1) => ToLose[key] = count;

    /// <summary>The flushed batches the grain whose key is <paramref name="key"/> received, in order.</summary>
    public static IReadOnlyList<(FlushId Flush, object? Batch)> Batches(string key) =>
        Received.TryGetValue(key, out var batches) ? [.. batches] : [];

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.Request.GetArgumentCount() != 2 || context.Request.GetArgument(0) is not FlushId flush)
        {
            await context.Invoke();
            return;
        }
        var key = context.TargetId.Key.ToString()!;
        Received.GetOrAdd(key, _ => new()).Enqueue((flush, context.Request.GetArgument(1)));
        await context.Invoke();
        if (ToLose.TryGetValue(key, out var left) && left > 0 && ToLose.TryUpdate(key, left - 1, left))
            throw new TimeoutException("the answer was lost after the grain handled the call (injected)");
    }
}
