using Microsoft.AspNetCore.SignalR;
using Personalize.Client;

namespace Personalize.Client.Tests;

public class ClientJsonTests
{
    [Fact]
    public void Every_hub_protocol_shares_the_one_options_instance_with_the_clients_settings()
    {
        var first = new JsonHubProtocolOptions();
        var second = new JsonHubProtocolOptions();

        ClientJson.UseOn(first);
        ClientJson.UseOn(second);

        // One instance: its serialization metadata is built once per process, not once per connection.
        Assert.Same(ClientJson.Options, first.PayloadSerializerOptions);
        Assert.Same(first.PayloadSerializerOptions, second.PayloadSerializerOptions);
        Assert.Equal(System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull, first.PayloadSerializerOptions.DefaultIgnoreCondition);
        Assert.Contains(first.PayloadSerializerOptions.Converters, c => c is PushJsonConverter);
    }
}
