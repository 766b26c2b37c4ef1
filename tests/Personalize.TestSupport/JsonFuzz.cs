using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Personalize.TestSupport;

/// <summary>
/// FsCheck generators of hostile JSON text: random values of every type (including numbers no .NET type
/// holds and lone surrogates), objects using the real field names with values of the wrong type, and
/// valid seeds mutated character by character. Text rather than a DOM, so broken JSON is reachable too.
/// </summary>
public static class JsonFuzz
{
    private static readonly string[] FieldNames =
    [
        "id", "type", "at", "channel", "productId", "categoryId", "price", "quantity", "query", "orderId", "orderTotal",
        "lines", "referralCode", "score", "nudgeId", "granted", "deviceId", "network", "shopperId", "events",
        "ttlSeconds", "anonymousId", "customerId", "name", "on", "conditions", "action", "limits", "enabled",
    ];

    private static readonly string[] Scalars =
    [
        "null", "true", "false", "0", "-0", "1", "-1", "0.5", "1e400", "-1e400", "79228162514264337593543950336",
        "2147483648", "1.0000000000000000000000000001", "\"\"", "\"a\"", "\"page_view\"", "\"purchase\"", "\"refund\"",
        "\"2026-11-23T12:00:00Z\"", "\"not-a-date\"", "\"\\ud800\"", "\"\\u0000\"", "\"\\\"\"", "\"é€✓\"", "NaN", "\"NaN\"",
    ];

    private static readonly string[] Garbage = ["{", "}", "[", "]", ",", ":", "\"", "\\", "\u0000", "\u001e", "/*", "'", " ", "null", "1e99999"];

    public static Gen<string> Value(int depth)
    {
        var scalar = Gen.OneOf(Gen.Elements(Scalars), Gen.Choose(-100_000, 100_000).Select(i => i.ToString()), LongString);
        if (depth <= 0) return scalar;
        return Gen.Frequency(
            (4, scalar),
            (2, Gen.ListOf(Value(depth - 1)).Select(items => "[" + string.Join(",", items.Take(8)) + "]")),
            (3, Object(depth - 1)));
    }

    /// <summary>An object keyed mostly by the contract's field names, each holding any value at all.</summary>
    public static Gen<string> Object(int depth) =>
        from count in Gen.Choose(0, 8)
        from keys in Gen.ArrayOf(Gen.OneOf(Gen.Elements(FieldNames), Gen.Elements("", "__proto__", "ID", "Type", "x")), count)
        from values in Gen.ArrayOf(Value(depth), count)
        select "{" + string.Join(",", keys.Zip(values, (k, v) => $"\"{k}\":{v}")) + "}";

    private static Gen<string> LongString =>
        Gen.Elements(65, 129, 257, 5000).Select(n => "\"" + new string('x', n) + "\"");

    /// <summary>A seed with a few character-level edits: deletions, insertions of JSON punctuation, truncation, duplication.</summary>
    public static Gen<string> Mutated(params string[] seeds) =>
        from seed in Gen.Elements(seeds)
        from edits in Gen.ListOf(Edit).Select(l => l.Take(4).ToList())
        from last in Edit
        select edits.Append(last).Aggregate(seed, (text, edit) => edit(text));

    /// <summary>Random values, wrong-typed objects and mutated seeds, in about equal parts.</summary>
    public static Gen<string> Hostile(params string[] seeds) => Gen.OneOf(Value(3), Object(2), Mutated(seeds));

    private static Gen<Func<string, string>> Edit =>
        from kind in Gen.Choose(0, 4)
        from position in Gen.Choose(0, 10_000)
        from length in Gen.Choose(1, 12)
        from token in Gen.OneOf(Gen.Elements(Garbage), Gen.Elements(Scalars))
        select (Func<string, string>)(text =>
        {
            if (text.Length == 0) return token;
            var at = position % text.Length;
            var span = Math.Min(length, text.Length - at);
            return kind switch
            {
                0 => text.Remove(at, span),
                1 => text.Insert(at, token),
                2 => text[..at],
                3 => text.Insert(at, text.Substring(at, span)),
                _ => text.Remove(at, span).Insert(at, token),
            };
        });

    /// <summary>UTF-8 bytes of the text; lone surrogates become replacement characters, as on the wire.</summary>
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
