using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Personalize.Gateway.Auth;
using Personalize.Grains;
using Personalize.Hosting;
using Personalize.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Personalize.Cluster.Tests;

/// <summary>
/// No Docker engine runs these tests, so docker-compose.yml is checked against the code instead: every
/// environment key is one the programs bind, the values pass the same validation, ports and health
/// checks point where the programs listen, and the silo can be scaled (no host ports).
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly YamlMappingNode Services = LoadServices();

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void Every_environment_key_is_a_configuration_key_the_program_binds(string service)
    {
        var known = KnownKeys();
        var unknown = Environment(service).Keys.Where(k => !known.Contains(IndexFree(k))).ToList();
        Assert.True(unknown.Count == 0, $"{service}: not configuration keys: {string.Join(", ", unknown)}");
    }

    [Theory]
    [InlineData("silo", false)]
    [InlineData("gateway", true)]
    public void The_environment_is_valid_configuration_for_its_role(string service, bool client)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Environment(service).Select(e => new KeyValuePair<string, string?>(e.Key, e.Value)))
            .Build();
        var cluster = configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>()!;
        Assert.Empty(cluster.Problems());
        Assert.Equal(client, cluster.IsClient);
        Assert.Equal("Postgres", cluster.Clustering);
        Assert.Equal("personalize", cluster.ClusterId);
        Assert.Equal("Postgres", configuration.GetSection(StorageSettings.Section).Get<StorageSettings>()?.Provider ?? "Postgres");
        // The connection string names the postgres service and the database and user it creates.
        var connection = configuration.GetConnectionString(StorageSettings.ConnectionStringName)!;
        var postgres = Mapping(Services, "postgres");
        var postgresEnvironment = Mapping(postgres, "environment");
        Assert.Contains("Host=postgres;", connection);
        Assert.Contains($"Username={Scalar(postgresEnvironment, "POSTGRES_USER")};", connection);
        Assert.Contains($"Database={Scalar(postgresEnvironment, "POSTGRES_DB")}", connection);
        if (client)
            Assert.Empty(configuration.GetSection(AuthSettings.Section).Get<AuthSettings>()!.Problems());
    }

    [Fact]
    public void Silos_scale_without_host_ports_and_expose_what_they_listen_on()
    {
        var silo = Mapping(Services, "silo");
        Assert.False(silo.Children.ContainsKey("ports"), "a published host port would stop --scale silo=3");
        Assert.False(silo.Children.ContainsKey("container_name"), "a fixed container name would stop --scale silo=3");
        var environment = Environment("silo");
        var exposed = Sequence(silo, "expose").ToHashSet();
        Assert.Contains(UrlPort(environment["Urls"]).ToString(), exposed);
        Assert.Contains(environment["Personalize:Cluster:SiloPort"], exposed);
        Assert.Contains(environment["Personalize:Cluster:GatewayPort"], exposed);
        Assert.False(environment.ContainsKey("Personalize:Cluster:AdvertisedIp"), "each silo must advertise its own container address");
    }

    [Fact]
    public void The_gateway_serves_on_host_port_5080()
    {
        var gateway = Mapping(Services, "gateway");
        var port = UrlPort(Environment("gateway")["Urls"]);
        Assert.Equal(["5080:" + port], Sequence(gateway, "ports"));
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("gateway")]
    public void Health_checks_ask_readiness_where_the_program_listens_and_wait_for_their_dependencies(string service)
    {
        var node = Mapping(Services, service);
        var test = string.Join(" ", Sequence(Mapping(node, "healthcheck"), "test"));
        Assert.Contains($"http://127.0.0.1:{UrlPort(Environment(service)["Urls"])}{OrleansHostingExtensions.ReadyPath}", test);
        var dependsOn = Mapping(node, "depends_on");
        Assert.Equal("service_healthy", Scalar(Mapping(dependsOn, "postgres"), "condition"));
    }

    [Fact]
    public void Postgres_keeps_its_data_in_a_volume_and_has_a_health_check()
    {
        var postgres = Mapping(Services, "postgres");
        Assert.Contains(Sequence(postgres, "volumes"), v => v.EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
        Assert.Contains("pg_isready", string.Join(" ", Sequence(Mapping(postgres, "healthcheck"), "test")));
    }

    [Theory]
    [InlineData("silo", "Personalize.Silo")]
    [InlineData("gateway", "Personalize.Gateway")]
    public void Each_program_builds_from_its_multi_stage_dockerfile(string service, string project)
    {
        var build = Mapping(Mapping(Services, service), "build");
        Assert.Equal(".", Scalar(build, "context"));
        var dockerfile = Scalar(build, "dockerfile");
        Assert.Equal($"src/{project}/Dockerfile", dockerfile);
        var text = File.ReadAllText(Path.Combine(ServiceProcess.RepositoryRoot(), dockerfile));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", text);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", text);
        Assert.Contains($"dotnet publish src/{project}/{project}.csproj", text);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", text);
        // The GC setting the load tests measure with (the self-hosted gateway gets the same variable).
        Assert.Contains("ENV DOTNET_GCgen0size=0x4000000", text);
    }

    /// <summary>Every key the programs read: the settings classes' properties under their sections, plus host keys.</summary>
    private static HashSet<string> KnownKeys()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Urls", $"ConnectionStrings:{StorageSettings.ConnectionStringName}" };
        AddProperties(keys, ClusterSettings.Section, typeof(ClusterSettings));
        AddProperties(keys, StorageSettings.Section, typeof(StorageSettings));
        AddProperties(keys, AuthSettings.Section, typeof(AuthSettings));
        AddProperties(keys, NudgeOptions.Section, typeof(NudgeOptions));
        return keys;
    }

    private static void AddProperties(HashSet<string> keys, string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var t = property.PropertyType;
            if (t.IsClass && t != typeof(string) && !t.IsArray) AddProperties(keys, key, t);
            else keys.Add(key);
        }
    }

    /// <summary><c>Personalize:Auth:MarketerApiKeys:0</c> binds the array <c>MarketerApiKeys</c>.</summary>
    private static string IndexFree(string key) => ArrayIndex().Replace(key, "");

    /// <summary>
    /// A service's environment as configuration keys (<c>__</c> → <c>:</c>): <c>${VAR:-default}</c> takes its
    /// default, a required <c>${VAR:?}</c> a distinct stand-in as an operator would supply.
    /// </summary>
    private static Dictionary<string, string> Environment(string service) =>
        Mapping(Mapping(Services, service), "environment").Children.ToDictionary(
            e => ((YamlScalarNode)e.Key).Value!.Replace("__", ":", StringComparison.Ordinal),
            e => Interpolation().Replace(((YamlScalarNode)e.Value).Value!, m => m.Groups["default"].Success ? m.Groups["default"].Value : $"{m.Groups["name"].Value}-{TestSecret}"),
            StringComparer.OrdinalIgnoreCase);

    private const string TestSecret = "compose-test-secret-value-of-at-least-32-bytes";

    private static int UrlPort(string urls) => new Uri(urls.Split(';')[0].Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;

    private static YamlMappingNode LoadServices()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(ServiceProcess.RepositoryRoot(), "docker-compose.yml"));
        stream.Load(reader);
        return Mapping((YamlMappingNode)stream.Documents[0].RootNode, "services");
    }

    private static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlMappingNode mapping
            ? mapping
            : throw new Xunit.Sdk.XunitException($"docker-compose.yml: '{key}' is missing or not a mapping");

    private static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlScalarNode scalar
            ? scalar.Value!
            : throw new Xunit.Sdk.XunitException($"docker-compose.yml: '{key}' is missing or not a scalar");

    private static List<string> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) && child is YamlSequenceNode sequence
            ? [.. sequence.Children.Cast<YamlScalarNode>().Select(s => s.Value!)]
            : throw new Xunit.Sdk.XunitException($"docker-compose.yml: '{key}' is missing or not a list");

    [GeneratedRegex(@":\d+$")]
    private static partial Regex ArrayIndex();

    [GeneratedRegex(@"\$\{(?<name>[A-Z_]+)(?::-(?<default>[^}]*)|:\?[^}]*)?\}")]
    private static partial Regex Interpolation();
}
