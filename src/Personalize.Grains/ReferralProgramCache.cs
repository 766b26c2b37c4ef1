using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// The silo-local copy of the referral programme. Polls the settings grain's version four times a
/// second, so a marketer's change is live on every silo within a second while the event path reads a field.
/// </summary>
public sealed partial class ReferralProgramCache(IGrainFactory grains, ILogger<ReferralProgramCache> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private volatile ReferralProgramSnapshot? _current;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);

    public ValueTask<ReferralProgram> GetAsync() =>
        _current is { } current ? ValueTask.FromResult(current.Program) : new ValueTask<ReferralProgram>(LoadAsync());

    private async Task<ReferralProgram> LoadAsync() => (await RefreshAsync()).Program;

    /// <summary>Fetches the settings if their version moved.</summary>
    public async Task<ReferralProgramSnapshot> RefreshAsync()
    {
        var grain = grains.GetGrain<IReferralProgramGrain>(0);
        await _refreshLock.WaitAsync();
        try
        {
            var version = await grain.GetVersionAsync();
            if (_current is { } current && current.Version == version) return current;
            var snapshot = await grain.GetAsync();
            _current = snapshot;
            LogInformationProgramLoaded(snapshot.Version, snapshot.Program.Enabled);
            return snapshot;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(RefreshAsync, PollInterval, logger, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Referral programme version {Version} loaded (enabled: {Enabled})")]
    private partial void LogInformationProgramLoaded(long version, bool enabled);
}
