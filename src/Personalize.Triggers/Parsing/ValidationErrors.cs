using System.Globalization;
using System.Text.Json;

namespace Personalize.Triggers;

/// <summary>
/// Collects every problem in a trigger document under its field path, and reads typed fields while doing so,
/// so the parser reports all bad fields at once instead of stopping at the first.
/// A JSON null counts as an absent field everywhere.
/// </summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool HasErrors => _errors.Count > 0;

    /// <summary>Messages so far; a reader compares it before and after to learn whether its part was clean.</summary>
    public int Count { get; private set; }

    public void Add(string path, string message)
    {
        if (!_errors.TryGetValue(path, out var list))
        {
            _errors[path] = list = [];
        }

        list.Add(message);
        Count++;
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);

    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "." + name;

    public static string OneOf(IEnumerable<string> allowed) => "must be one of: " + string.Join(", ", allowed);

    /// <summary>Names typos: every property not in <paramref name="allowed"/> is an error at its own path.</summary>
    public void RejectUnknown(JsonElement obj, string path, IReadOnlyCollection<string> allowed, string message = "is not a known property")
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                Add(Join(path, property.Name), message);
            }
        }
    }

    public static bool TryGetPresent(JsonElement obj, string name, out JsonElement value) =>
        obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public string? ReadString(JsonElement obj, string parent, string name, bool required, int minLength, int maxLength)
    {
        var path = Join(parent, name);
        if (!TryGetPresent(obj, name, out var element))
        {
            if (required)
            {
                Add(path, "is required");
            }

            return null;
        }

        return CheckString(element, path, minLength, maxLength);
    }

    public string? CheckString(JsonElement element, string path, int minLength, int maxLength)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            Add(path, "must be a string");
            return null;
        }

        var text = element.GetString()!;
        if (text.Length < minLength || text.Length > maxLength)
        {
            Add(path, minLength == 0 ? $"must be at most {maxLength} characters" : $"must be {minLength} to {maxLength} characters");
            return null;
        }

        if (minLength > 0 && string.IsNullOrWhiteSpace(text))
        {
            Add(path, "must not be blank");
            return null;
        }

        return text;
    }

    /// <summary>A string that must be one of a closed list; null when absent or wrong.</summary>
    public string? ReadChoice(JsonElement obj, string parent, string name, bool required, IReadOnlyList<string> allowed)
    {
        var path = Join(parent, name);
        if (!TryGetPresent(obj, name, out var element))
        {
            if (required)
            {
                Add(path, "is required");
            }

            return null;
        }

        return CheckChoice(element, path, allowed);
    }

    public string? CheckChoice(JsonElement element, string path, IReadOnlyList<string> allowed)
    {
        if (element.ValueKind == JsonValueKind.String && allowed.Contains(element.GetString()!))
        {
            return element.GetString();
        }

        Add(path, OneOf(allowed));
        return null;
    }

    public int? ReadInt(JsonElement obj, string parent, string name, bool required, int min, int max)
    {
        var path = Join(parent, name);
        if (!TryGetPresent(obj, name, out var element))
        {
            if (required)
            {
                Add(path, "is required");
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var value))
        {
            Add(path, "must be a whole number");
            return null;
        }

        if (value < min || value > max)
        {
            Add(path, max == int.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}");
            return null;
        }

        return value;
    }

    public double? ReadNumber(JsonElement obj, string parent, string name, double min, double max)
    {
        var path = Join(parent, name);
        if (!TryGetPresent(obj, name, out var element))
        {
            return null;
        }

        if (!TryGetFiniteNumber(element, out var value))
        {
            Add(path, "must be a number");
            return null;
        }

        if (value < min || value > max)
        {
            Add(path, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"));
            return null;
        }

        return value;
    }

    public bool? ReadBool(JsonElement obj, string parent, string name)
    {
        if (!TryGetPresent(obj, name, out var element))
        {
            return null;
        }

        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        Add(Join(parent, name), "must be true or false");
        return null;
    }

    public DateTimeOffset? ReadInstant(JsonElement obj, string parent, string name)
    {
        if (!TryGetPresent(obj, name, out var element))
        {
            return null;
        }

        // TryGetDateTimeOffset insists on ISO 8601; the re-parse pins a missing offset to UTC, not the server's zone.
        if (element.ValueKind == JsonValueKind.String
            && element.TryGetDateTimeOffset(out _)
            && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        Add(Join(parent, name), "must be an ISO-8601 date and time, e.g. 2025-01-31T00:00:00Z");
        return null;
    }

    public static bool TryGetFiniteNumber(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }
}
