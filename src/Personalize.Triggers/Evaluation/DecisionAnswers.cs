namespace Personalize.Triggers;

/// <summary>
/// What one judgement has learnt through a <see cref="TriggerDecision"/>, as bit sets held by a
/// <see cref="ConditionMemo"/>: the triggers still alive (active, and no needed step failed), the steps
/// answered and which of those held.
/// </summary>
internal readonly ref struct DecisionAnswers(Span<ulong> alive, Span<ulong> known, Span<ulong> holds, bool fresh)
{
    public Span<ulong> Alive { get; } = alive;

    public Span<ulong> Known { get; } = known;

    public Span<ulong> Holds { get; } = holds;

    /// <summary>Nothing asked yet in this judgement: <see cref="Alive"/> is still to be filled.</summary>
    public bool Fresh { get; } = fresh;

    public bool IsKnown(int step) => (Known[step >> 6] & (1UL << (step & 63))) != 0;

    public bool Held(int step) => (Holds[step >> 6] & (1UL << (step & 63))) != 0;
}
