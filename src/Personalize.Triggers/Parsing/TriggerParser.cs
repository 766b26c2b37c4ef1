using System.Text.Json;
using System.Text.RegularExpressions;

namespace Personalize.Triggers;

/// <summary>
/// Reads and validates trigger documents (CONTRACT §4). Never throws on bad input: every bad field is
/// reported under its path ("on.event", "conditions[1].op", "action.discount.value", "" for the root).
/// </summary>
public static partial class TriggerParser
{
    private static readonly string[] TopLevelNames =
        ["id", "name", "enabled", "priority", "on", "conditions", "action", "limits", "holdoutPercent", "activeFrom", "activeUntil"];

    private static readonly string[] OnNames = ["event", "idleSeconds"];

    private static readonly string[] LimitNames = ["maxPerShopper", "cooldownSeconds", "maxPerDay"];

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    public static bool TryParse(string json, string? routeId, out TriggerDefinition? trigger, out IReadOnlyDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return TryParse(document.RootElement, routeId, out trigger, out errors);
        }
        catch (JsonException ex)
        {
            trigger = null;
            errors = new Dictionary<string, string[]> { [""] = [$"is not valid JSON: {ex.Message}"] };
            return false;
        }
    }

    public static bool TryParse(JsonElement json, string? routeId, out TriggerDefinition? trigger, out IReadOnlyDictionary<string, string[]> errors)
    {
        var collected = new ValidationErrors();
        TriggerDefinition? parsed;
        try
        {
            parsed = ReadTrigger(json, routeId, collected);
        }
        catch (InvalidOperationException)
        {
            // JSON escapes can spell lone UTF-16 surrogates ("\ud800") that System.Text.Json refuses to turn into strings.
            collected.Add("", "contains a string that is not valid UTF-16 text");
            parsed = null;
        }

        if (collected.HasErrors || parsed is null)
        {
            trigger = null;
            errors = collected.ToDictionary();
            return false;
        }

        trigger = parsed;
        errors = NoErrors;
        return true;
    }

    /// <summary>Trigger ids travel in URLs and metric tags, hence the narrow alphabet.</summary>
    public static bool IsValidId(string? id) => id is { Length: > 0 and <= TriggerVocabulary.MaxIdLength } && IdPattern().IsMatch(id);

    private static TriggerDefinition? ReadTrigger(JsonElement root, string? routeId, ValidationErrors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("", "must be a JSON object");
            return null;
        }

        errors.RejectUnknown(root, "", TopLevelNames);

        var id = ReadId(root, routeId, errors);
        var name = errors.ReadString(root, "", "name", required: true, 1, TriggerVocabulary.MaxNameLength);
        var enabled = errors.ReadBool(root, "", "enabled") ?? true;
        var priority = errors.ReadInt(root, "", "priority", required: false, int.MinValue, int.MaxValue) ?? 0;
        var on = ReadOn(root, errors);
        var conditions = ReadConditions(root, errors);
        var action = ReadAction(root, errors);
        var limits = ReadLimits(root, errors);
        var holdout = errors.ReadNumber(root, "", "holdoutPercent", 0, 100) ?? 0;
        var activeFrom = errors.ReadInstant(root, "", "activeFrom");
        var activeUntil = errors.ReadInstant(root, "", "activeUntil");
        if (activeFrom is not null && activeUntil is not null && activeFrom >= activeUntil)
        {
            errors.Add("activeUntil", "must be later than activeFrom");
        }

        if (id is null || name is null || on is null || conditions is null || action is null)
        {
            return null;
        }

        return new TriggerDefinition
        {
            Id = id,
            Name = name,
            Enabled = enabled,
            Priority = priority,
            On = on,
            Conditions = conditions,
            Action = action,
            Limits = limits,
            HoldoutPercent = holdout,
            ActiveFrom = activeFrom,
            ActiveUntil = activeUntil,
        };
    }

    private static string? ReadId(JsonElement root, string? routeId, ValidationErrors errors)
    {
        const string IdRule = "must be 1 to 64 characters of A-Z, a-z, 0-9, _ and -";
        string? id;
        if (!ValidationErrors.TryGetPresent(root, "id", out var element))
        {
            if (routeId is null)
            {
                errors.Add("id", "is required");
                return null;
            }

            id = routeId;
        }
        else if (element.ValueKind != JsonValueKind.String)
        {
            errors.Add("id", "must be a string");
            return null;
        }
        else
        {
            id = element.GetString()!;
            if (routeId is not null && !string.Equals(id, routeId, StringComparison.Ordinal))
            {
                errors.Add("id", $"must match the id in the URL ('{routeId}')");
                return null;
            }
        }

        if (!IsValidId(id))
        {
            errors.Add("id", IdRule);
            return null;
        }

        return id;
    }

    private static TriggerOn? ReadOn(JsonElement root, ValidationErrors errors)
    {
        if (!ValidationErrors.TryGetPresent(root, "on", out var on))
        {
            errors.Add("on", "is required");
            return null;
        }

        if (on.ValueKind != JsonValueKind.Object)
        {
            errors.Add("on", "must be an object with either event or idleSeconds");
            return null;
        }

        errors.RejectUnknown(on, "on", OnNames);
        var hasEvent = ValidationErrors.TryGetPresent(on, "event", out _);
        var hasIdle = ValidationErrors.TryGetPresent(on, "idleSeconds", out _);
        if (hasEvent == hasIdle)
        {
            errors.Add("on", "must have exactly one of event or idleSeconds");
            return null;
        }

        var eventType = errors.ReadChoice(on, "on", "event", required: false, TriggerVocabulary.EventTypes);
        var idle = errors.ReadInt(on, "on", "idleSeconds", required: false, 1, TriggerVocabulary.MaxWindowSeconds);
        return eventType is null && idle is null ? null : new TriggerOn { Event = eventType, IdleSeconds = idle };
    }

    private static TriggerLimits? ReadLimits(JsonElement root, ValidationErrors errors)
    {
        if (!ValidationErrors.TryGetPresent(root, "limits", out var limits))
        {
            return null;
        }

        if (limits.ValueKind != JsonValueKind.Object)
        {
            errors.Add("limits", "must be an object");
            return null;
        }

        errors.RejectUnknown(limits, "limits", LimitNames);
        return new TriggerLimits
        {
            MaxPerShopper = errors.ReadInt(limits, "limits", "maxPerShopper", required: false, 1, int.MaxValue),
            CooldownSeconds = errors.ReadInt(limits, "limits", "cooldownSeconds", required: false, 0, int.MaxValue),
            MaxPerDay = errors.ReadInt(limits, "limits", "maxPerDay", required: false, 1, int.MaxValue),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex IdPattern();
}
