using BenchmarkDotNet.Running;
using Personalize.Benchmarks;
using Personalize.Benchmarks.Memory;

// `memory` is a one-shot probe (see Memory/MemoryProbe.cs); its hidden helper verbs hold the client
// connections and take heap histograms in a second process. Everything else goes to BenchmarkDotNet.
if (args is [MemoryProbe.Verb, .. var memoryArgs]) return await MemoryProbe.RunAsync(memoryArgs);
if (args is [IdleConnections.Verb, .. var clientArgs]) return await IdleConnections.RunAsync(clientArgs);
if (args is [HeapHistogram.Verb, .. var heapArgs]) return HeapHistogram.Run(heapArgs);

// Every public class with [Benchmark] methods in this assembly is found: add a file (e.g. under
// Triggers/ or Grains/) and it shows up in the list, no registration needed.
//   dotnet run -c Release --project loadtests/Personalize.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, new BenchmarkConfig());
return 0;
