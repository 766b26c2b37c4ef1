namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.ReferralProgramState")]
public sealed class ReferralProgramState
{
    [Id(0)] public long Version { get; set; }
    [Id(1)] public ReferralProgram Program { get; set; } = new();
}

/// <summary>The referral programme settings. Written by marketers, polled by every silo's <see cref="ReferralProgramCache"/>.</summary>
public sealed class ReferralProgramGrain(
    [PersistentState("referralProgram", GrainStorage.Default)] IPersistentState<ReferralProgramState> settings)
    : Grain, IReferralProgramGrain
{
    public Task<long> GetVersionAsync() => Task.FromResult(settings.State.Version);

    public Task<ReferralProgramSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<ReferralProgramSnapshot> SetAsync(ReferralProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        var previous = (settings.State.Version, settings.State.Program);
        settings.State.Program = program;
        settings.State.Version++;
        try
        {
            await settings.WriteStateAsync();
        }
        catch
        {
            // A failed write must not leave the served settings ahead of what is stored.
            (settings.State.Version, settings.State.Program) = previous;
            throw;
        }
        return Snapshot();
    }

    private ReferralProgramSnapshot Snapshot() => new(settings.State.Version, settings.State.Program);
}
