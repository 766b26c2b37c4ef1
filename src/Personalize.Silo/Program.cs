using Orleans.Dashboard;
using Personalize.Grains;
using Personalize.Hosting;

// A dedicated silo: hosts the grains; its Urls serve /health/live, /health/ready, /metrics and /dashboard.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddPersonalizeOrleans(alwaysSilo: true, silo =>
{
    silo.Services.AddPersonalizeGrains(builder.Configuration);
    silo.AddDashboard();
});
// SIGTERM deactivates every grain (writing what is still dirty) and leaves the membership table, so
// clients move at once; give that time before the host gives up (compose allows 40 s).
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

var app = builder.Build();
app.MapPersonalizeOperations();
app.MapOrleansDashboard(routePrefix: "/dashboard");
app.Run();
