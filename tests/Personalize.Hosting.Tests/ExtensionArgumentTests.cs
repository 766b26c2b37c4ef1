using Microsoft.Extensions.Hosting;

namespace Personalize.Hosting.Tests;

public sealed class ExtensionArgumentTests
{
    [Theory]
    [InlineData("Mongo")]
    [InlineData("")]
    public void An_unknown_storage_provider_is_refused_with_the_configuration_key_named(string provider)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var error = Assert.Throws<ArgumentException>(() =>
            builder.UseOrleans(silo => silo.AddPersonalizeStorage(provider, "Data Source=x.db")));
        Assert.Contains("Personalize:Storage:Provider", error.Message);
    }

    [Fact]
    public void An_unknown_clustering_is_refused_with_the_configuration_key_named()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var error = Assert.Throws<ArgumentException>(() =>
            builder.UseOrleans(silo => silo.AddPersonalizeClustering("Consul", "", 11111, 30000)));
        Assert.Contains("Personalize:Cluster:Clustering", error.Message);
    }

    [Fact]
    public void Provider_names_are_case_insensitive_and_memory_needs_no_connection_string()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo.AddPersonalizeStorage("memory", "").AddPersonalizeClustering("LOCALHOST", "", 11111, 30000));
        using var host = builder.Build();
    }
}
