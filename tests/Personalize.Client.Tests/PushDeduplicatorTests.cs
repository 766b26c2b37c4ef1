using Personalize.Client;

namespace Personalize.Client.Tests;

public class PushDeduplicatorTests
{
    [Fact]
    public void A_repeated_id_is_dropped()
    {
        var seen = new PushDeduplicator(4);
        Assert.True(seen.TryAdd("a"));
        Assert.False(seen.TryAdd("a"));
    }

    [Fact]
    public void Memory_is_bounded_and_the_oldest_id_is_forgotten_first()
    {
        var seen = new PushDeduplicator(3);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            Assert.True(seen.TryAdd(id));
        }
        Assert.Equal(3, seen.Count);
        Assert.False(seen.TryAdd("d"));
        Assert.True(seen.TryAdd("a"));
    }

    [Fact]
    public void A_new_deduplicator_holds_no_room_for_ids_it_has_not_seen()
    {
        // Every connection has one; sized to its capacity up front it held ~19 KB before its first push.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var seen = new PushDeduplicator(512);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1024, $"a new deduplicator allocated {allocated} B");
        Assert.True(seen.TryAdd("first"));
    }
}
