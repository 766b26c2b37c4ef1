using System.Buffers;
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

    /// <summary>
    /// The same bytes as <see cref="Serialize{T}"/>, in an array lent by the shared pool until the result is
    /// disposed. For a caller that knows when the bytes are done with: the ADO.NET provider copies a state's
    /// bytes into its command parameter, so the exact-size array <see cref="Serialize{T}"/> makes is garbage
    /// the moment the write has its copy.
    /// </summary>
    public StateBytes SerializeLent<T>(T? input)
    {
        var buffer = new LentBuffer();
        try
        {
            serializer.Serialize(input, buffer);
            return new StateBytes(new BinaryData(buffer.Written), buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>A growing buffer of arrays rented from <see cref="ArrayPool{T}.Shared"/>, given back on dispose.</summary>
    private sealed class LentBuffer : IBufferWriter<byte>, IDisposable
    {
        // Most shopper states fit (a full click ring packs to ~2.2 KB); larger ones move to a bigger array.
        private const int FirstSize = 4096;
        private byte[]? _array = ArrayPool<byte>.Shared.Rent(FirstSize);
        private int _length;

        public ReadOnlyMemory<byte> Written => Lent.AsMemory(0, _length);

        private byte[] Lent => _array ?? throw new ObjectDisposedException(nameof(LentBuffer));

        public void Advance(int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            if (count > Lent.Length - _length) throw new InvalidOperationException("Advanced past the end of the buffer.");
            _length += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Room(sizeHint).AsMemory(_length);

        public Span<byte> GetSpan(int sizeHint = 0) => Room(sizeHint).AsSpan(_length);

        public void Dispose()
        {
            if (_array is not { } array) return;
            _array = null;
            ArrayPool<byte>.Shared.Return(array);
        }

        private byte[] Room(int sizeHint)
        {
            var array = Lent;
            var needed = Math.Max(sizeHint, 1);
            if (array.Length - _length >= needed) return array;
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(array.Length * 2, _length + needed));
            array.AsSpan(0, _length).CopyTo(bigger);
            _array = bigger;
            ArrayPool<byte>.Shared.Return(array);
            return bigger;
        }
    }
}

/// <summary>A state's bytes and, when they sit in a lent array, what gives it back (<see cref="Dispose"/>).</summary>
public readonly record struct StateBytes(BinaryData Bytes, IDisposable? Lease) : IDisposable
{
    public void Dispose() => Lease?.Dispose();
}
