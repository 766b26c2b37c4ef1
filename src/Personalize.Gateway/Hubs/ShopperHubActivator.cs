using Microsoft.AspNetCore.SignalR;

namespace Personalize.Gateway.Hubs;

/// <summary>
/// Makes the <see cref="ShopperHub"/> for each hub call from the root container. SignalR's own activator is a
/// scoped service, and resolving it gives every call's service scope a dictionary and its entry array (with
/// the activator, ~3 % of what the gateway allocated per event under load; loadtests/README.md). The hub's
/// dependencies are all singletons, which the root provides as well as any scope would; a scoped one added
/// later would be refused here (the container validates scopes in development and in the tests).
/// </summary>
public sealed class ShopperHubActivator(IServiceProvider services) : IHubActivator<ShopperHub>
{
    private static readonly ObjectFactory<ShopperHub> Factory = ActivatorUtilities.CreateFactory<ShopperHub>([]);

    public ShopperHub Create() => Factory(services, null);

    public void Release(ShopperHub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        hub.Dispose();
    }
}
