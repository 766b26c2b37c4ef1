using System.Globalization;

namespace Personalize.LoadTests;

/// <summary>The command line (see README of loadtests). Only what was given is set; profiles fill the rest.</summary>
public sealed record LoadTestOptions
{
    public IReadOnlyList<string> Scenarios { get; init; } = [];
    public string? Target { get; init; }
    public bool SelfHost { get; init; }
    public int? Shoppers { get; init; }
    public double? Rate { get; init; }
    public double? DurationSeconds { get; init; }
    public double? WarmUpSeconds { get; init; }
    public string ReportDir { get; init; } = Path.Combine("artifacts", "loadtests");
    public string? Profile { get; init; }
    public string? Load { get; init; }
    public int? Concurrency { get; init; }
    public int? PushEvery { get; init; }
    public string? MarketerKey { get; init; } = Environment.GetEnvironmentVariable("PERSONALIZE_MARKETER_KEY");
    public string? StorefrontKey { get; init; } = Environment.GetEnvironmentVariable("PERSONALIZE_STOREFRONT_KEY");
    public string? GatewayDll { get; init; }
    public bool NoBuild { get; init; }

    public const string Usage = """
        Personalize load tests
          --scenario NAME[,NAME]   echo | hot-path | connect-storm | referral-loop
          --target URL|echo        a running gateway (needs --marketer-key, --storefront-key), or the echo server
          --self-host              start the gateway from this repo (built in Release) on a free port
          --shoppers N             connected shoppers (default 100)
          --rate EVENTS_PER_S      injection rate (default 500)
          --duration SECONDS       measured load duration per scenario (default 20)
          --warm-up SECONDS        unmeasured load before it, NBomber's WarmUpDuration (default 0; full profile 10)
          --report DIR             where report.json, report.md and report.html go (default artifacts/loadtests)
          --profile ci|full        ci: echo then hot-path, short and low rate, fails on any loss or error
                                   full: ceiling, hot path, half-ceiling latency, connect storm, referral loop
          --load ramp|constant|concurrency   load simulation (default ramp: ramp up, then constant rate)
          --concurrency N          copies kept busy under --load concurrency (default 64)
          --push-every N           every N-th event of a shopper is the one the trigger pushes on (default 5)
          --marketer-key K / --storefront-key K   keys of a --target gateway (or PERSONALIZE_*_KEY)
          --gateway-dll PATH / --no-build          use a given or already built gateway
        """;

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadTestOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            options = name switch
            {
                "--scenario" => options with { Scenarios = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--target" => options with { Target = Value() },
                "--self-host" => options with { SelfHost = true },
                "--shoppers" => options with { Shoppers = Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--rate" => options with { Rate = Positive(name, double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--duration" => options with { DurationSeconds = Positive(name, double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--warm-up" => options with { WarmUpSeconds = NonNegative(name, double.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--report" => options with { ReportDir = Value() },
                "--profile" => options with { Profile = OneOf(name, Value(), "ci", "full") },
                "--load" => options with { Load = OneOf(name, Value(), "ramp", "constant", "concurrency") },
                "--concurrency" => options with { Concurrency = Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--push-every" => options with { PushEvery = Positive(name, int.Parse(Value(), CultureInfo.InvariantCulture)) },
                "--marketer-key" => options with { MarketerKey = Value() },
                "--storefront-key" => options with { StorefrontKey = Value() },
                "--gateway-dll" => options with { GatewayDll = Path.GetFullPath(Value()) },
                "--no-build" => options with { NoBuild = true },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        if (options.Target is not null && options.SelfHost)
        {
            throw new ArgumentException("Give --target or --self-host, not both.");
        }
        if (options.Scenarios.Count == 0 && options.Profile is null)
        {
            throw new ArgumentException("Give --scenario or --profile.");
        }
        return options;
    }

    private static T Positive<T>(string name, T value) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} must be positive.");

    private static double NonNegative(string name, double value) =>
        value >= 0 ? value : throw new ArgumentException($"{name} must not be negative.");

    private static string OneOf(string name, string value, params string[] allowed) =>
        allowed.Contains(value) ? value : throw new ArgumentException($"{name} must be one of {string.Join(", ", allowed)}.");
}
