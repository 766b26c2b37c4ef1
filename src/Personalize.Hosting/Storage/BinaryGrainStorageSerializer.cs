using Orleans.Serialization;
using Orleans.Storage;

namespace Personalize.Hosting.Storage;

/// <summary>
/// Grain state in Orleans' own binary format (the <c>[GenerateSerializer]</c>/<c>[Id]</c> codecs every stored
/// type already has for the wire) instead of the providers' default Newtonsoft JSON: a shopper state with a
/// full click ring serialized to JSON was the largest CPU item of a state write under load
/// (loadtests/README.md). Rows written as JSON before this change are still read: a JSON payload starts
/// with <c>{</c>, which no Orleans-encoded object does (its first byte is a field header whose wire type is
/// never Fixed32 with a referenced schema), and the next write stores that state in binary.
/// </summary>
public sealed class BinaryGrainStorageSerializer(Serializer serializer, IGrainStorageSerializer legacyJson) : IGrainStorageSerializer
{
    private const byte JsonObjectStart = (byte)'{';
    private readonly OrleansGrainStorageSerializer _binary = new(serializer);

    public BinaryData Serialize<T>(T? input) => _binary.Serialize(input);

    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var bytes = input.ToMemory().Span;
        return bytes.Length > 0 && bytes[0] == JsonObjectStart ? legacyJson.Deserialize<T>(input) : _binary.Deserialize<T>(input);
    }
}
