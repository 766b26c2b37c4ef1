using System.Text.Json;
using System.Text.Json.Serialization;

namespace Personalize.Triggers;

/// <summary>The one JSON shape of triggers: camelCase, nulls left out, as CONTRACT §4 shows it.</summary>
public static class TriggerJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
