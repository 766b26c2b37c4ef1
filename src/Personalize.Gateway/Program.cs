using Personalize.Gateway;

// Settings ship beside the binary, so the gateway behaves the same from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddPersonalizeGateway();

var app = builder.Build();
app.MapPersonalizeGateway();
app.Run();

/// <summary>Entry point, visible to tests that host the gateway in-process.</summary>
public partial class Program;
