namespace Personalize;

/// <summary>
/// Marks the grain state writes that no caller is waiting for (a lazy flush of click-only changes), so a
/// storage that queues its writes can let the ones a caller waits on go first. The mark flows with the
/// async call: set it around the write, nowhere else.
/// </summary>
public static class DeferrableWrites
{
    private static readonly AsyncLocal<bool> Marked = new();

    /// <summary>Whether the write being made now may wait behind others.</summary>
    public static bool IsMarked => Marked.Value;

    /// <summary>Marks the writes started until the returned scope is disposed.</summary>
    public static Scope Mark()
    {
        Marked.Value = true;
        return default;
    }

    public readonly struct Scope : IDisposable
    {
        public void Dispose() => Marked.Value = false;
    }
}
