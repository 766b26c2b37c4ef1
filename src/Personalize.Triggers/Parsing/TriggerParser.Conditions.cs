using System.Text.Json;

namespace Personalize.Triggers;

public static partial class TriggerParser
{
    private static readonly string[] LeafNames = ["fact", "op", "value", "where", "withinSeconds"];
    private static readonly string[] GroupNames = ["any"];
    private static readonly string[] FactNames = [.. TriggerVocabulary.Facts.Keys.Order(StringComparer.Ordinal)];
    private static readonly string[] WhereNames = ["type", "productId", "categoryId", "channel"];

    private static readonly string[] NumberOps = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn", "exists"];
    private static readonly string[] TextOps = ["eq", "ne", "in", "notIn", "exists"];
    private static readonly string[] FlagOps = ["eq", "ne"];
    private static readonly string[] MembershipOps = ["eq", "ne", "in", "notIn"];
    private static readonly string[] CountOps = ["eq", "ne", "gt", "gte", "lt", "lte"];

    private static List<Condition>? ReadConditions(JsonElement root, ValidationErrors errors)
    {
        if (!ValidationErrors.TryGetPresent(root, "conditions", out var conditions))
        {
            return [];
        }

        return ReadConditionList(conditions, "conditions", depth: 1, errors, allowEmpty: true);
    }

    private static List<Condition>? ReadConditionList(JsonElement array, string path, int depth, ValidationErrors errors, bool allowEmpty)
    {
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, "must be an array of conditions");
            return null;
        }

        var length = array.GetArrayLength();
        if (length == 0 && !allowEmpty)
        {
            errors.Add(path, "must contain at least one condition");
            return null;
        }

        if (length > TriggerVocabulary.MaxConditions)
        {
            errors.Add(path, $"must contain at most {TriggerVocabulary.MaxConditions} conditions");
            return null;
        }

        if (depth > TriggerVocabulary.MaxDepth)
        {
            errors.Add(path, $"nests any groups deeper than {TriggerVocabulary.MaxDepth} levels");
            return null;
        }

        var list = new List<Condition>(length);
        var index = 0;
        var ok = true;
        foreach (var item in array.EnumerateArray())
        {
            var condition = ReadCondition(item, $"{path}[{index++}]", depth, errors);
            ok &= condition is not null;
            if (condition is not null)
            {
                list.Add(condition);
            }
        }

        return ok ? list : null;
    }

    private static Condition? ReadCondition(JsonElement item, string path, int depth, ValidationErrors errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object");
            return null;
        }

        if (item.TryGetProperty("any", out var any))
        {
            errors.RejectUnknown(item, path, GroupNames, "is not allowed next to any (put the condition inside the group)");
            var children = ReadConditionList(any, path + ".any", depth + 1, errors, allowEmpty: false);
            return children is null ? null : new Condition { Any = children };
        }

        errors.RejectUnknown(item, path, LeafNames);
        var factName = errors.ReadChoice(item, path, "fact", required: true, FactNames);
        var op = errors.ReadChoice(item, path, "op", required: true, TriggerVocabulary.Ops);
        if (factName is null || !TriggerVocabulary.Facts.TryGetValue(factName, out var fact))
        {
            return null;
        }

        var kind = TriggerVocabulary.KindOf(fact);
        var ok = op is not null && CheckOp(op, kind, path, errors);
        ValidationErrors.TryGetPresent(item, "value", out var value);
        if (ok)
        {
            ok = CheckValue(fact, kind, op!, value, path + ".value", errors);
        }

        ClickWhere? where = null;
        int? within = null;
        if (kind == FactKind.Count)
        {
            where = ReadWhere(item, path, errors);
            within = errors.ReadInt(item, path, "withinSeconds", required: true, 1, TriggerVocabulary.MaxWindowSeconds);
            ok &= where is not null && within is not null;
        }
        else
        {
            foreach (var countOnly in (ReadOnlySpan<string>)["where", "withinSeconds"])
            {
                if (ValidationErrors.TryGetPresent(item, countOnly, out _))
                {
                    errors.Add(ValidationErrors.Join(path, countOnly), "is only allowed when fact is count");
                    ok = false;
                }
            }
        }

        return ok
            ? new Condition
            {
                Fact = factName,
                Op = op,
                // Cloned so the definition outlives the JsonDocument it was read from.
                Value = value.ValueKind == JsonValueKind.Undefined ? null : value.Clone(),
                Where = where,
                WithinSeconds = within,
            }
            : null;
    }

    private static bool CheckOp(string op, FactKind kind, string path, ValidationErrors errors)
    {
        string[] allowed = kind switch
        {
            FactKind.Number => NumberOps,
            FactKind.Text => TextOps,
            FactKind.Flag => FlagOps,
            FactKind.Membership => MembershipOps,
            _ => CountOps,
        };
        if (allowed.Contains(op))
        {
            return true;
        }

        errors.Add(ValidationErrors.Join(path, "op"), $"{ValidationErrors.OneOf(allowed)} for this fact");
        return false;
    }

    /// <summary><paramref name="value"/> is default (Undefined) when the field is absent or null.</summary>
    private static bool CheckValue(Fact fact, FactKind kind, string op, JsonElement value, string path, ValidationErrors errors)
    {
        if (op == "exists")
        {
            if (value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.True or JsonValueKind.False))
            {
                errors.Add(path, "must be true or false (or left out, meaning true)");
                return false;
            }

            return true;
        }

        if (value.ValueKind == JsonValueKind.Undefined)
        {
            errors.Add(path, "is required");
            return false;
        }

        if (op is "in" or "notIn")
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0 || value.GetArrayLength() > TriggerVocabulary.MaxSetSize)
            {
                errors.Add(path, $"must be a non-empty array (at most {TriggerVocabulary.MaxSetSize} items) for {op}");
                return false;
            }

            var index = 0;
            var ok = true;
            foreach (var item in value.EnumerateArray())
            {
                ok &= CheckScalar(fact, kind, item, path, $"item {index++} ", errors);
            }

            return ok;
        }

        return CheckScalar(fact, kind, value, path, "", errors);
    }

    private static bool CheckScalar(Fact fact, FactKind kind, JsonElement value, string path, string prefix, ValidationErrors errors)
    {
        switch (kind)
        {
            case FactKind.Number or FactKind.Count:
                if (ValidationErrors.TryGetFiniteNumber(value, out _))
                {
                    return true;
                }

                errors.Add(path, prefix + "must be a number");
                return false;

            case FactKind.Flag:
                if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    return true;
                }

                errors.Add(path, prefix + "must be true or false");
                return false;

            default:
                if (value.ValueKind != JsonValueKind.String)
                {
                    errors.Add(path, prefix + (kind == FactKind.Membership ? "must be a string (an id to look for in the basket)" : "must be a string"));
                    return false;
                }

                var text = value.GetString()!;
                var allowed = TriggerVocabulary.AllowedTexts(fact);
                if (allowed is not null ? !allowed.Contains(text) : text.Length is 0 or > TriggerVocabulary.MaxTextValueLength)
                {
                    errors.Add(path, prefix + (allowed is not null
                        ? ValidationErrors.OneOf(allowed)
                        : $"must be 1 to {TriggerVocabulary.MaxTextValueLength} characters"));
                    return false;
                }

                return true;
        }
    }

    private static ClickWhere? ReadWhere(JsonElement item, string path, ValidationErrors errors)
    {
        var wherePath = ValidationErrors.Join(path, "where");
        if (!ValidationErrors.TryGetPresent(item, "where", out var where))
        {
            errors.Add(wherePath, "is required for count (use {} to count every event)");
            return null;
        }

        if (where.ValueKind != JsonValueKind.Object)
        {
            errors.Add(wherePath, "must be an object with optional type, productId, categoryId, channel");
            return null;
        }

        errors.RejectUnknown(where, wherePath, WhereNames);
        var before = errors.Count;
        var result = new ClickWhere
        {
            Type = errors.ReadChoice(where, wherePath, "type", required: false, TriggerVocabulary.EventTypes),
            ProductId = errors.ReadString(where, wherePath, "productId", required: false, 1, TriggerVocabulary.MaxTextValueLength),
            CategoryId = errors.ReadString(where, wherePath, "categoryId", required: false, 1, TriggerVocabulary.MaxTextValueLength),
            Channel = errors.ReadChoice(where, wherePath, "channel", required: false, TriggerVocabulary.Channels),
        };
        return errors.Count == before ? result : null;
    }
}
