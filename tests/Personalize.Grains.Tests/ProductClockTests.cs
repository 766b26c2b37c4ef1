using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Personalize.Grains.Tests;

/// <summary>
/// Whatever the container builds in the grains library takes the product's clock, never the runtime's: a
/// service taking the unkeyed TimeProvider would run on real time in the grain tests (their fake clock moves
/// only the product's) and on the runtime's clock in production, each a different answer to "now".
/// </summary>
public sealed class ProductClockTests
{
    // Built by hand with the wall clock on purpose: subscriptions expire on the time the gateways renew them by.
    private static readonly Type[] WallClockByDesign = [typeof(ShopperSubscribers)];

    [Fact]
    public void Every_constructor_taking_a_clock_in_the_grains_library_asks_for_the_product_clock()
    {
        var unkeyed = typeof(ShopperGrain).Assembly.GetTypes()
            .Where(t => !WallClockByDesign.Contains(t))
            .SelectMany(t => t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
            .SelectMany(c => c.GetParameters())
            .Where(p => p.ParameterType == typeof(TimeProvider)
                && p.GetCustomAttribute<FromKeyedServicesAttribute>()?.Key is not ProductClock.Key)
            .Select(p => $"{p.Member.DeclaringType!.Name}({p.Name})")
            .ToList();

        Assert.Empty(unkeyed);
    }

    [Fact]
    public void The_product_clock_is_the_hosts_clock_unless_one_is_registered_for_it()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var plain = new ServiceCollection().AddPersonalizeGrains(configuration).BuildServiceProvider();
        Assert.Same(TimeProvider.System, plain.GetRequiredKeyedService<TimeProvider>(ProductClock.Key));

        var fake = new FakeTimeProvider();
        using var faked = new ServiceCollection().AddKeyedSingleton<TimeProvider>(ProductClock.Key, fake)
            .AddPersonalizeGrains(configuration).BuildServiceProvider();
        Assert.Same(fake, faked.GetRequiredKeyedService<TimeProvider>(ProductClock.Key));
        Assert.Same(TimeProvider.System, faked.GetRequiredService<TimeProvider>());
    }
}
