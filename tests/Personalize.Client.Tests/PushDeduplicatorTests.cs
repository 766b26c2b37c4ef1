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
}
