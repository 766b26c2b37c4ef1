using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Personalize.Client;

namespace Personalize.Benchmarks.Serialization;

/// <summary>
/// Pushes as the client receives them: typed by hub method (<c>offer</c> → <see cref="OfferPush"/>), and
/// as a base-typed <see cref="Push"/> read through <see cref="PushJsonConverter"/>, as in
/// <c>ShopperView.pendingNudges</c>, which costs an extra parse of the kind.
/// </summary>
[BenchmarkCategory("serialization")]
public class PushSerializationBenchmarks
{
    private byte[] _offerJson = [];
    private byte[] _recommendationsJson = [];

    [GlobalSetup]
    public void Setup()
    {
        _offerJson = JsonSerializer.SerializeToUtf8Bytes(Samples.Offer, ClientJson.Options);
        _recommendationsJson = JsonSerializer.SerializeToUtf8Bytes(Samples.Recommendations, ClientJson.Options);
    }

    [Benchmark(Baseline = true)]
    public byte[] SerializeOffer() => JsonSerializer.SerializeToUtf8Bytes(Samples.Offer, ClientJson.Options);

    [Benchmark]
    public byte[] SerializeRecommendations() => JsonSerializer.SerializeToUtf8Bytes(Samples.Recommendations, ClientJson.Options);

    [Benchmark]
    public OfferPush? DeserializeOfferTyped() => JsonSerializer.Deserialize<OfferPush>(_offerJson, ClientJson.Options);

    [Benchmark]
    public Push? DeserializeOfferByKind() => JsonSerializer.Deserialize<Push>(_offerJson, ClientJson.Options);

    [Benchmark]
    public RecommendationsPush? DeserializeRecommendationsTyped() =>
        JsonSerializer.Deserialize<RecommendationsPush>(_recommendationsJson, ClientJson.Options);
}
