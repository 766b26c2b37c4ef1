using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR;

namespace Personalize.Client;

/// <summary>
/// The JSON settings the client uses on the hub and over HTTP: camelCase as the contract says, nulls left
/// out (smaller frames, and "absent" is what the server expects for fields a type does not use).
/// </summary>
public static class ClientJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>
    /// Points a hub protocol at <see cref="Options"/>. Every client in a process shares that one instance:
    /// options build and keep serialization metadata for the contract's types (~20 KB), so options of
    /// its own would make every connection hold that again and build it by reflection on its first call.
    /// </summary>
    public static void UseOn(JsonHubProtocolOptions protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        protocol.PayloadSerializerOptions = Options;
    }

    /// <summary>Applies the client's settings to options someone else created (e.g. the hub protocol's).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        if (!options.Converters.OfType<PushJsonConverter>().Any())
        {
            options.Converters.Add(new PushJsonConverter());
        }
        return options;
    }
}

/// <summary>
/// Reads a <see cref="Push"/> declared as the base type (e.g. <c>pendingNudges</c>) as the record of its
/// <c>kind</c>, and writes any push with its runtime type so the extras are not lost.
/// Only the exact base type goes through here, so the derived records use the default (de)serializer.
/// </summary>
public sealed class PushJsonConverter : JsonConverter<Push>
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(Push);

    public override Push? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var kind = FindKind(root);
        var type = PushKinds.ClrType(kind);
        if (type == typeof(Push))
        {
            // Base-typed deserialization would land back in this converter; a sealed stand-in avoids that.
            return root.Deserialize<UnknownPush>(options);
        }
        return (Push?)root.Deserialize(type, options);
    }

    public override void Write(Utf8JsonWriter writer, Push value, JsonSerializerOptions options)
    {
        var type = value.GetType() == typeof(Push) ? typeof(UnknownPush) : value.GetType();
        var serialized = value.GetType() == typeof(Push) ? new UnknownPush
        {
            Id = value.Id, TriggerId = value.TriggerId, Kind = value.Kind, Title = value.Title,
            Message = value.Message, CreatedAt = value.CreatedAt, ExpiresAt = value.ExpiresAt,
        } : value;
        JsonSerializer.Serialize(writer, serialized, type, options);
    }

    private static string? FindKind(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, "kind", StringComparison.OrdinalIgnoreCase) &&
                property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }
        return null;
    }

    /// <summary>A push of a kind this client version does not know: the shared fields only.</summary>
    private sealed record UnknownPush : Push;
}
