namespace Personalize.Grains;

/// <summary>
/// References to the grains of one interface by string key, made without Orleans' per-call interface lookup:
/// <c>IGrainFactory.GetGrain&lt;T&gt;(string)</c> resolves the interface's grain type by reading its attributes
/// on every call, which under load was ~2 % of all the gateway allocated (reflection stubs and attribute
/// records, per <c>Track</c>). The lookup is done once here; each reference is then the one
/// <c>GetGrain&lt;T&gt;(key)</c> gives.
/// </summary>
public sealed class StringKeyedGrains<T> where T : IGrainWithStringKey
{
    private readonly IGrainFactory _grains;
    private readonly GrainType _type;
    private readonly GrainInterfaceType _interface;

    public StringKeyedGrains(IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        _grains = grains;
        var probe = (GrainReference)(object)grains.GetGrain<T>("-");
        (_type, _interface) = (probe.GrainId.Type, probe.InterfaceType);
    }

    public T Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return (T)_grains.GetGrain(GrainId.Create(_type, key), _interface);
    }
}
