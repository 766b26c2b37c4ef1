using System.Text.Json;

namespace Personalize.Triggers;

/// <summary>
/// A leaf (<see cref="Fact"/> + <see cref="Op"/> + <see cref="Value"/>, plus <see cref="Where"/> and
/// <see cref="WithinSeconds"/> for "count") or an OR group (<see cref="Any"/>). The value stays raw JSON here
/// because its type depends on the fact; the compiler turns it into numbers and string sets once.
/// </summary>
public sealed record Condition
{
    public string? Fact { get; init; }

    public string? Op { get; init; }

    public JsonElement? Value { get; init; }

    public ClickWhere? Where { get; init; }

    public int? WithinSeconds { get; init; }

    public IReadOnlyList<Condition>? Any { get; init; }

    public bool Equals(Condition? other) =>
        other is not null
        && Fact == other.Fact
        && Op == other.Op
        && ValuesEqual(Value, other.Value)
        && Where == other.Where
        && WithinSeconds == other.WithinSeconds
        && (Any is null ? other.Any is null : other.Any is not null && Any.SequenceEqual(other.Any));

    public override int GetHashCode() => HashCode.Combine(Fact, Op, Where, WithinSeconds, Any?.Count);

    private static bool ValuesEqual(JsonElement? a, JsonElement? b) =>
        a is null ? b is null : b is not null && JsonElement.DeepEquals(a.Value, b.Value);
}
