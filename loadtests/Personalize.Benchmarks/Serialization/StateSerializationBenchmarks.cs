using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalize.Benchmarks.Triggers;
using Personalize.Grains;

namespace Personalize.Benchmarks.Serialization;

/// <summary>
/// What every shopper state write serializes: the busy shopper's state (a full click ring of 100 events,
/// basket, orders, trigger memory) in Orleans' binary format, as grain storage stores it. The baseline is the
/// ring as rows held it before it was packed (Orleans' codecs over the click objects, field 50), against
/// <see cref="Click.PackRing"/> (field 52), both ways.
/// </summary>
[BenchmarkCategory("serialization")]
public class StateSerializationBenchmarks
{
    private Serializer _serializer = null!;
    private ShopperState _state = null!;
    private List<Click> _ring = [];
    private byte[] _ringAsObjects = [];
    private byte[] _ringPacked = [];
    private byte[] _stateBytes = [];

    [GlobalSetup]
    public void Setup()
    {
        _serializer = new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(ShopperState).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>();
        _state = BusyShopper.Model(out _).State;
        _ring = _state.Clicks;
        _ringAsObjects = _serializer.SerializeToArray(_ring);
        _ringPacked = Click.PackRing(_ring);
        _stateBytes = _serializer.SerializeToArray(_state);
        Console.WriteLine($"// sizes: ring as click objects {_ringAsObjects.Length} B, packed {_ringPacked.Length} B, whole state {_stateBytes.Length} B");
    }

    [Benchmark(Baseline = true)]
    public byte[] WriteRingAsClickObjects() => _serializer.SerializeToArray(_ring);

    [Benchmark]
    public byte[] WriteRingPacked() => Click.PackRing(_ring);

    [Benchmark]
    public List<Click>? ReadRingAsClickObjects() => _serializer.Deserialize<List<Click>>(_ringAsObjects);

    [Benchmark]
    public List<Click> ReadRingPacked() => Click.UnpackRing(_ringPacked);

    [Benchmark]
    public byte[] WriteState() => _serializer.SerializeToArray(_state);

    [Benchmark]
    public ShopperState? ReadState() => _serializer.Deserialize<ShopperState>(_stateBytes);
}
