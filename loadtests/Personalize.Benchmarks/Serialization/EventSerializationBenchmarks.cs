using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Personalize.Client;

namespace Personalize.Benchmarks.Serialization;

/// <summary>
/// System.Text.Json with the client's settings (<see cref="ClientJson.Options"/>, the same the hub
/// protocol is configured with): the cost of one event on each side of the wire.
/// </summary>
[BenchmarkCategory("serialization")]
public class EventSerializationBenchmarks
{
    private byte[] _productViewJson = [];
    private byte[] _purchaseJson = [];

    [GlobalSetup]
    public void Setup()
    {
        _productViewJson = JsonSerializer.SerializeToUtf8Bytes(Samples.ProductView, ClientJson.Options);
        _purchaseJson = JsonSerializer.SerializeToUtf8Bytes(Samples.Purchase, ClientJson.Options);
    }

    [Benchmark(Baseline = true)]
    public byte[] SerializeProductView() => JsonSerializer.SerializeToUtf8Bytes(Samples.ProductView, ClientJson.Options);

    [Benchmark]
    public byte[] SerializePurchase() => JsonSerializer.SerializeToUtf8Bytes(Samples.Purchase, ClientJson.Options);

    [Benchmark]
    public ShopperEvent? DeserializeProductView() => JsonSerializer.Deserialize<ShopperEvent>(_productViewJson, ClientJson.Options);

    [Benchmark]
    public ShopperEvent? DeserializePurchase() => JsonSerializer.Deserialize<ShopperEvent>(_purchaseJson, ClientJson.Options);
}
