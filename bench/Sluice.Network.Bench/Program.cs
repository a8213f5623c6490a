using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Usage:
//   dotnet run -c Release --project bench/Sluice.Network.Bench -- --filter '*'
//   dotnet run -c Release --project bench/Sluice.Network.Bench -- --filter '*FlowEvaluation*'
// Benchmarks run in-process: the repository's build settings (warnings as errors, central package versions) would
// otherwise apply to the projects BenchmarkDotNet generates.
var config = DefaultConfig.Instance.AddJob(Job.Default
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithWarmupCount(3)
    .WithIterationCount(10)
    .AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(Sluice.Network.Bench.FlowEvaluationBenchmarks).Assembly).Run(args, config);
