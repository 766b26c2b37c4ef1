using System.Text;

namespace Personalize.Grains;

/// <summary>
/// The click ring as stored: the whole ring packed into one byte array (<see cref="ShopperState"/> field 52)
/// instead of an object graph of up to <see cref="ShopperLimits.ClickRing"/> clicks. Every state write stores
/// the whole ring, and encoding it click by click through Orleans' codecs (a field header per member, a
/// reference-tracking entry per object) was most of a write's serialization (loadtests/README.md).
/// </summary>
/// <remarks>
/// Layout, version 1: the version byte, the click count, then per click a head byte (id form in bits 0-1;
/// product, category, price, quantity, detail present in bits 2-6), type and channel (their
/// <see cref="SharedNames"/> numbers), the time as the zigzag difference in ticks from the click before,
/// the id (16 GUID bytes, or text), then the fields present. Product, category and query strings are written
/// once per ring and referred back to by number after that; unpacked, they are the process's shared copies
/// (<see cref="SharedIds"/>), as they were before the ring was stored. Numbers are LEB128 varints, text UTF-8.
/// The numbers of types, channels and the flags below are stored: only ever append.
/// </remarks>
public sealed partial class Click
{
    private const byte RingFormatVersion = 1;
    private const int IdFormMask = 0b11;
    private const int HasProduct = 1 << 2, HasCategory = 1 << 3, HasPrice = 1 << 4, HasQuantity = 1 << 5, HasDetail = 1 << 6;
    private const int HasQuery = 1, HasOrderId = 1 << 1, HasOrderTotal = 1 << 2, HasScore = 1 << 3, HasNudgeId = 1 << 4, HasReferralCode = 1 << 5;

    /// <summary>The ring in its stored form.</summary>
    public static byte[] PackRing(IReadOnlyList<Click> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var writer = new RingWriter(t_scratch ??= new byte[4096], t_written ??= new Dictionary<object, int>(ReferenceEqualityComparer.Instance));
        writer.Byte(RingFormatVersion);
        writer.UInt((uint)clicks.Count);
        long previous = 0;
        for (var i = 0; i < clicks.Count; i++)
        {
            var click = clicks[i];
            var detail = click.Detail;
            writer.Byte((byte)((click._idForm & IdFormMask)
                | (click.ProductId is null ? 0 : HasProduct) | (click.CategoryId is null ? 0 : HasCategory)
                | (click.Price is null ? 0 : HasPrice) | (click.Quantity is null ? 0 : HasQuantity) | (detail is null ? 0 : HasDetail)));
            writer.Byte(click._type);
            writer.Byte(click._channel);
            writer.Long(click._atTicks - previous);
            previous = click._atTicks;
            if (click._idForm is IdGuidN or IdGuidD) writer.Guid(click._idGuid);
            else writer.Text(click._idText ?? "");
            if (click.ProductId is { } product) writer.SharedText(product);
            if (click.CategoryId is { } category) writer.SharedText(category);
            if (click.Price is { } price) writer.Decimal(price);
            if (click.Quantity is { } quantity) writer.Long(quantity);
            if (detail is null) continue;
            writer.Byte((byte)((detail.Query is null ? 0 : HasQuery) | (detail.OrderId is null ? 0 : HasOrderId)
                | (detail.OrderTotal is null ? 0 : HasOrderTotal) | (detail.Score is null ? 0 : HasScore)
                | (detail.NudgeId is null ? 0 : HasNudgeId) | (detail.ReferralCode is null ? 0 : HasReferralCode)));
            if (detail.Query is { } query) writer.SharedText(query);
            if (detail.OrderId is { } orderId) writer.Text(orderId);
            if (detail.OrderTotal is { } total) writer.Decimal(total);
            if (detail.Score is { } score) writer.Long(score);
            if (detail.NudgeId is { } nudgeId) writer.Text(nudgeId);
            if (detail.ReferralCode is { } code) writer.Text(code);
        }
        var packed = writer.ToArray();
        // The scratch buffer stays with the thread for the next ring unless one ring made it large.
        if (writer.Buffer.Length <= 64 * 1024) t_scratch = writer.Buffer;
        return packed;
    }

    // Per thread, so packing allocates only its result: the bytes as they are written, and the strings written so far.
    [ThreadStatic] private static byte[]? t_scratch;
    [ThreadStatic] private static Dictionary<object, int>? t_written;

    /// <summary>The ring back from its stored form, in a list of exactly its size.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a packed ring this code can read.</exception>
    public static List<Click> UnpackRing(ReadOnlySpan<byte> packed)
    {
        var reader = new RingReader(packed);
        var version = reader.Byte();
        if (version != RingFormatVersion)
            throw new InvalidDataException($"Click ring format {version} is not known here (this build reads {RingFormatVersion}).");
        var count = reader.UInt();
        if (count > (ulong)packed.Length) throw new InvalidDataException("Click ring count is past the end of its bytes.");
        var clicks = new List<Click>((int)count);
        long at = 0;
        for (ulong i = 0; i < count; i++)
        {
            var head = reader.Byte();
            var type = reader.Byte();
            var channel = reader.Byte();
            at += reader.Long();
            var idForm = (byte)(head & IdFormMask);
            Guid idGuid = default;
            string? idText = null;
            if (idForm is IdGuidN or IdGuidD) idGuid = reader.Guid();
            else if (idForm == 0) idText = reader.Text();
            else throw new InvalidDataException($"Click id form {idForm} is not known.");
            var product = (head & HasProduct) != 0 ? reader.SharedText() : null;
            var category = (head & HasCategory) != 0 ? reader.SharedText() : null;
            decimal? price = (head & HasPrice) != 0 ? reader.Decimal() : null;
            int? quantity = (head & HasQuantity) != 0 ? checked((int)reader.Long()) : null;
            ClickDetail? detail = null;
            if ((head & HasDetail) != 0)
            {
                var has = reader.Byte();
                detail = new ClickDetail
                {
                    Query = (has & HasQuery) != 0 ? reader.SharedText() : null,
                    OrderId = (has & HasOrderId) != 0 ? reader.Text() : null,
                    OrderTotal = (has & HasOrderTotal) != 0 ? reader.Decimal() : null,
                    Score = (has & HasScore) != 0 ? checked((int)reader.Long()) : null,
                    NudgeId = (has & HasNudgeId) != 0 ? reader.Text() : null,
                    ReferralCode = (has & HasReferralCode) != 0 ? reader.Text() : null,
                };
            }
            clicks.Add(new Click
            {
                _type = type, _channel = channel, _atTicks = at, _idForm = idForm, _idGuid = idGuid, _idText = idText,
                ProductId = product, CategoryId = category, Price = price, Quantity = quantity, Detail = detail,
            });
        }
        if (!reader.AtEnd) throw new InvalidDataException("Click ring bytes go on past its last click.");
        return clicks;
    }

    private struct RingWriter
    {
        private byte[] _buffer;
        private int _length;
        // Shared strings written so far in this ring, by their number. Keyed by reference: the ring's equal
        // ids are one string (SharedIds) and a reference hash is far cheaper than hashing text; an equal
        // string that is another instance is only written out again, which reading takes as it comes.
        private readonly Dictionary<object, int> _written;

        public RingWriter(byte[] buffer, Dictionary<object, int> written)
        {
            _buffer = buffer;
            _written = written;
            _written.Clear();
        }

        public readonly byte[] Buffer => _buffer;

        public readonly byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        public void Byte(byte value)
        {
            Reserve(1);
            _buffer[_length++] = value;
        }

        public void UInt(ulong value)
        {
            Reserve(10);
            while (value >= 0x80)
            {
                _buffer[_length++] = (byte)(value | 0x80);
                value >>= 7;
            }
            _buffer[_length++] = (byte)value;
        }

        public void Long(long value) => UInt((ulong)((value << 1) ^ (value >> 63)));

        public void Guid(Guid value)
        {
            Reserve(16);
            value.TryWriteBytes(_buffer.AsSpan(_length, 16));
            _length += 16;
        }

        public void Decimal(decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            // bits[3]: scale in bits 16-23, sign in bit 31.
            Byte((byte)(((bits[3] >> 16) & 0x7F) | (bits[3] < 0 ? 0x80 : 0)));
            UInt((uint)bits[0]);
            UInt((uint)bits[1]);
            UInt((uint)bits[2]);
        }

        /// <summary>Length times two, then UTF-8 (an even first number: text follows).</summary>
        public void Text(string value)
        {
            var bytes = Encoding.UTF8.GetByteCount(value);
            UInt((ulong)bytes << 1);
            Reserve(bytes);
            _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
        }

        /// <summary>A string written before in this ring goes as its number times two plus one.</summary>
        public void SharedText(string value)
        {
            if (_written.TryGetValue(value, out var number))
            {
                UInt(((ulong)number << 1) | 1);
                return;
            }
            _written.Add(value, _written.Count);
            Text(value);
        }

        private void Reserve(int bytes)
        {
            if (_length + bytes <= _buffer.Length) return;
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
        }
    }

    private ref struct RingReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;
        private List<string>? _shared;

        public readonly bool AtEnd => _position == _bytes.Length;

        public byte Byte() => _position < _bytes.Length ? _bytes[_position++] : throw Truncated();

        public ulong UInt()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var next = Byte();
                value |= (ulong)(next & 0x7F) << shift;
                if (next < 0x80) return value;
            }
            throw new InvalidDataException("Click ring number is longer than 64 bits.");
        }

        public long Long()
        {
            var zigzag = UInt();
            return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
        }

        public Guid Guid() => new(Take(16));

        public decimal Decimal()
        {
            var scaleAndSign = Byte();
            var (lo, mid, hi) = ((int)(uint)UInt(), (int)(uint)UInt(), (int)(uint)UInt());
            var scale = (byte)(scaleAndSign & 0x7F);
            if (scale > 28) throw new InvalidDataException($"Click ring decimal scale {scale} is past 28.");
            return new decimal(lo, mid, hi, (scaleAndSign & 0x80) != 0, scale);
        }

        public string Text()
        {
            var lengthOrNumber = UInt();
            if ((lengthOrNumber & 1) != 0) throw new InvalidDataException("Click ring text is a back-reference where none may be.");
            return ReadText(lengthOrNumber >> 1);
        }

        public string SharedText()
        {
            var lengthOrNumber = UInt();
            _shared ??= [];
            if ((lengthOrNumber & 1) != 0)
            {
                var number = lengthOrNumber >> 1;
                return number < (ulong)_shared.Count ? _shared[(int)number] : throw new InvalidDataException("Click ring refers to text it has not had.");
            }
            var text = SharedIds.Share(ReadText(lengthOrNumber >> 1))!;
            _shared.Add(text);
            return text;
        }

        private string ReadText(ulong length) =>
            length > int.MaxValue ? throw Truncated() : Encoding.UTF8.GetString(Take((int)length));

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > _bytes.Length - _position) throw Truncated();
            var taken = _bytes.Slice(_position, length);
            _position += length;
            return taken;
        }

        private static InvalidDataException Truncated() => new("Click ring bytes end in the middle of a click.");
    }
}
