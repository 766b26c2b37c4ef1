using Personalize.Gateway;
using Personalize.Gateway.Limits;

// Settings ship beside the binary, so the gateway behaves the same from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddPersonalizeGateway();
builder.AddPersonalizeLimits();

var app = builder.Build();
app.UsePersonalizeLimits();
app.MapPersonalizeGateway();
app.Run();

/// <summary>Entry point, visible to tests that host the gateway in-process.</summary>
public partial class Program;
