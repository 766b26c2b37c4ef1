using System.Collections.Concurrent;

namespace Personalize.LoadTests.Engine;

/// <summary>What one scenario run counts. Written from many threads; counters are interlocked.</summary>
public sealed class ScenarioStats
{
    private const int MaxErrorSamples = 20;
    private long _sent;
    private long _acknowledged;
    private long _pushesExpected;
    private long _pushesReceived;
    private long _unexpectedPushes;
    private long _errors;
    private readonly ConcurrentQueue<string> _errorSamples = new();

    public LatencyRecorder Track { get; } = new();
    public LatencyRecorder Push { get; } = new();
    public LatencyRecorder Connect { get; } = new();

    public long Sent => Interlocked.Read(ref _sent);
    public long Acknowledged => Interlocked.Read(ref _acknowledged);
    public long PushesExpected => Interlocked.Read(ref _pushesExpected);
    public long PushesReceived => Interlocked.Read(ref _pushesReceived);
    public long UnexpectedPushes => Interlocked.Read(ref _unexpectedPushes);
    public long Errors => Interlocked.Read(ref _errors);
    public IReadOnlyCollection<string> ErrorSamples => _errorSamples;

    public void CountSent() => Interlocked.Increment(ref _sent);
    public void CountAcknowledged() => Interlocked.Increment(ref _acknowledged);
    public void ExpectPush() => Interlocked.Increment(ref _pushesExpected);
    public void CountPushReceived() => Interlocked.Increment(ref _pushesReceived);
    public void CountUnexpectedPush() => Interlocked.Increment(ref _unexpectedPushes);

    public void CountError(string what, Exception? exception = null)
    {
        Interlocked.Increment(ref _errors);
        // A handful of samples say what went wrong; thousands of identical ones would bury the report.
        if (_errorSamples.Count < MaxErrorSamples)
        {
            _errorSamples.Enqueue(exception is null ? what : $"{what}: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
