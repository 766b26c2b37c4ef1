using Personalize.LoadTests.Targets;

namespace Personalize.LoadTests.Tests;

public sealed class ServerEnvironmentTests
{
    [Fact]
    public void Pairs_are_split_on_semicolons_and_the_first_equals_sign()
    {
        var pairs = ChildProcess.ServerEnvironment(" DOTNET_GCName=libclrgc.so; ;DOTNET_GCgen0size=0x1000000;X=a=b ");

        Assert.Equal(
            [("DOTNET_GCName", "libclrgc.so"), ("DOTNET_GCgen0size", "0x1000000"), ("X", "a=b")],
            pairs);
    }

    [Fact]
    public void Nothing_set_means_no_overrides()
    {
        Assert.Empty(ChildProcess.ServerEnvironment(null));
        Assert.Empty(ChildProcess.ServerEnvironment(""));
    }

    [Theory]
    [InlineData("DOTNET_GCName")]
    [InlineData("=libclrgc.so")]
    [InlineData("A=1;B")]
    public void A_pair_without_a_name_and_value_is_refused_by_name(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => ChildProcess.ServerEnvironment(text));

        Assert.Contains(ChildProcess.ServerEnvironmentVariable, error.Message);
    }
}
