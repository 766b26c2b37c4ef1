using Personalize.Gateway;

GatewayApp.Build(args).Run();

/// <summary>Entry point, visible to tests that host the gateway in-process.</summary>
public partial class Program;
