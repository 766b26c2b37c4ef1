using BenchmarkDotNet.Running;
using Personalize.Benchmarks;

// Every public class with [Benchmark] methods in this assembly is found: add a file (e.g. under
// Triggers/ or Grains/) and it shows up in the list, no registration needed.
//   dotnet run -c Release --project loadtests/Personalize.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, new BenchmarkConfig());
