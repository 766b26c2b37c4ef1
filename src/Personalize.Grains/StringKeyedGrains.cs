namespace Personalize.Grains;

/// <summary>
/// References to the grains of one interface by string key, made without Orleans' per-call interface lookup:
/// <c>IGrainFactory.GetGrain&lt;T&gt;(string)</c> resolves the interface's grain type by reading its attributes
/// on every call, which under load was ~2 % of all the gateway allocated (reflection stubs and attribute
/// records, per <c>Track</c>). The lookup is done once here; each reference is then the one
/// <c>GetGrain&lt;T&gt;(key)</c> gives.
/// </summary>
public sealed class StringKeyedGrains<T>(IGrainFactory grains) where T : IGrainWithStringKey
{
    // Looked up on first use, when the grain types can be resolved (a race only looks them up twice, equally).
    private (GrainType Type, GrainInterfaceType Interface)? _types;

    public T Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (type, @interface) = _types ??= TypesOf(grains.GetGrain<T>("-"));
        return (T)grains.GetGrain(GrainId.Create(type, key), @interface);
    }

    private static (GrainType, GrainInterfaceType) TypesOf(T probe)
    {
        var reference = (GrainReference)(object)probe;
        return (reference.GrainId.Type, reference.InterfaceType);
    }
}
