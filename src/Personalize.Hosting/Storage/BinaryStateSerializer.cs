using Orleans.Serialization;
using Orleans.Storage;

namespace Personalize.Hosting.Storage;

/// <summary>
/// Grain state in Orleans' binary format: the bytes <c>OrleansGrainStorageSerializer</c> writes, but written
/// into the serializer's pooled buffer and then one array of the exact size. That serializer grows a fresh
/// buffer from 256 bytes for every state, which was over a third of the byte arrays the gateway allocated
/// under load (allocation samples, loadtests/README.md).
/// </summary>
public sealed class BinaryStateSerializer(Serializer serializer) : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => BinaryData.FromBytes(serializer.SerializeToArray(input));

    public T? Deserialize<T>(BinaryData input) => serializer.Deserialize<T>(input.ToMemory());
}
