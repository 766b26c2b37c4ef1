using System.Text.Json;

namespace Personalize.Triggers;

/// <summary>
/// A marketer's trigger exactly as written (CONTRACT §4). Build one with <see cref="TriggerParser"/>, which
/// validates it; the records only carry data. Equality is structural, including the condition list.
/// </summary>
public sealed record TriggerDefinition
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public bool Enabled { get; init; } = true;

    public int Priority { get; init; }

    public TriggerOn On { get; init; } = new();

    public IReadOnlyList<Condition> Conditions { get; init; } = [];

    public TriggerAction Action { get; init; } = new();

    public TriggerLimits? Limits { get; init; }

    public double HoldoutPercent { get; init; }

    public DateTimeOffset? ActiveFrom { get; init; }

    public DateTimeOffset? ActiveUntil { get; init; }

    /// <summary>camelCase JSON with nulls left out; <see cref="TriggerParser.TryParse(string, string?, out TriggerDefinition?, out IReadOnlyDictionary{string, string[]})"/> reads it back.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TriggerJson.Options);

    public bool Equals(TriggerDefinition? other) =>
        other is not null
        && Id == other.Id
        && Name == other.Name
        && Enabled == other.Enabled
        && Priority == other.Priority
        && On == other.On
        && Conditions.SequenceEqual(other.Conditions)
        && Action == other.Action
        && Limits == other.Limits
        && HoldoutPercent.Equals(other.HoldoutPercent)
        && ActiveFrom == other.ActiveFrom
        && ActiveUntil == other.ActiveUntil;

    public override int GetHashCode() => HashCode.Combine(Id, Name, Enabled, Priority, On, Conditions.Count, Action);
}
