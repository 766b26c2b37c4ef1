namespace Personalize.Grains;

/// <summary>
/// The identity side of the shopper grain (the same activation as <see cref="IShopperGrain"/>): an
/// anonymous shopper merged into a customer. <see cref="ShopperIdentity.MergeAsync"/> drives the three
/// steps from outside, so no shopper grain ever waits on another and two merges cannot deadlock.
/// </summary>
[Alias("Personalize.IShopperIdentityGrain")]
public interface IShopperIdentityGrain : IGrainWithStringKey
{
    /// <summary>The id events for this id land on: the customer it was merged into, or itself.</summary>
    [Alias("Resolve")]
    Task<string> ResolveAsync();

    /// <summary>
    /// Step 1, on the anonymous shopper: becomes an alias of <paramref name="customerId"/> (stored) and
    /// answers what it holds. Repeatable; refuses a second, different customer.
    /// </summary>
    [Alias("HandOver")]
    Task<ShopperState> HandOverAsync(string customerId);

    /// <summary>Step 2, on the customer: takes in the anonymous shopper's state once (idempotent by its id).</summary>
    [Alias("Absorb")]
    Task AbsorbAsync(string anonymousId, ShopperState handover);

    /// <summary>Step 3, on the anonymous shopper: drops what moved, keeping the alias. Repeatable.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string customerId);

    /// <summary>The anonymous ids merged into this customer (their aliases are erased with it).</summary>
    [Alias("GetMergedIds")]
    Task<IReadOnlyList<string>> GetMergedIdsAsync();
}

public enum MergeOutcome
{
    Merged = 0,
    AlreadyMerged = 1,
    /// <summary>The anonymous id already belongs to another customer, or the customer id is an alias of it.</summary>
    Conflict = 2,
}

/// <summary>Merging an anonymous shopper into a customer, and erasing a customer with its aliases.</summary>
public static class ShopperIdentity
{
    /// <summary>
    /// Hand-over, absorb, release. Each step is idempotent and the customer records the merged id in
    /// the same write as the absorbed state, so a crash anywhere is repaired by calling this again.
    /// </summary>
    public static async Task<MergeOutcome> MergeAsync(IGrainFactory grains, string anonymousId, string customerId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrEmpty(anonymousId);
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        if (anonymousId == customerId) throw new ArgumentException("a shopper cannot be merged into itself", nameof(customerId));

        // A customer id that is itself an alias means its real customer: merges never chain.
        var target = await grains.GetGrain<IShopperIdentityGrain>(customerId).ResolveAsync();
        var anonymous = grains.GetGrain<IShopperIdentityGrain>(anonymousId);
        var current = await anonymous.ResolveAsync();
        if (target == anonymousId || (current != anonymousId && current != target)) return MergeOutcome.Conflict;

        ShopperState handover;
        try
        {
            handover = await anonymous.HandOverAsync(target);
        }
        catch (InvalidOperationException)
        {
            return MergeOutcome.Conflict;
        }
        await grains.GetGrain<IShopperIdentityGrain>(target).AbsorbAsync(anonymousId, handover);
        await anonymous.ReleaseAsync(target);
        return current == target ? MergeOutcome.AlreadyMerged : MergeOutcome.Merged;
    }

    /// <summary>Erases the shopper and every anonymous alias merged into it; aliases first, so a retry still finds them.</summary>
    public static async Task EraseAsync(IGrainFactory grains, string shopperId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        foreach (var alias in await grains.GetGrain<IShopperIdentityGrain>(shopperId).GetMergedIdsAsync())
            await grains.GetGrain<IShopperGrain>(alias).EraseAsync();
        await grains.GetGrain<IShopperGrain>(shopperId).EraseAsync();
    }
}
