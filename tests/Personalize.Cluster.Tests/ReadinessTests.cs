using Personalize.Hosting;

namespace Personalize.Cluster.Tests;

/// <summary><c>/health/ready</c> tells the truth in both roles: a gateway is not ready before it reaches a silo.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task A_client_gateway_is_live_but_not_ready_until_a_silo_joins_and_a_silo_is_ready_once_active()
    {
        await using var cluster = await LocalCluster.EmptyAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var gateway = cluster.NewGateway();
        gateway.Launch();

        // With no silo, the gateway serves HTTP but says it cannot serve shoppers.
        await WaitFor(async () => await gateway.StatusAsync(http, OrleansHostingExtensions.LivePath) == 200, gateway);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(503, await gateway.StatusAsync(http, OrleansHostingExtensions.ReadyPath));
            await Task.Delay(300);
        }

        var silo = await cluster.AddSiloAsync(); // returns once the silo says it is ready: Active in the table
        Assert.Equal(200, await silo.StatusAsync(http, OrleansHostingExtensions.ReadyPath));
        await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    private static async Task WaitFor(Func<Task<bool>> condition, TestSupport.ServiceProcess process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{process.Name} never became live:\n{process.Output}");
            await Task.Delay(200);
        }
    }
}
