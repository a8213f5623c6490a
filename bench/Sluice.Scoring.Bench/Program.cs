using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// Usage:
//   dotnet run -c Release --project bench/Sluice.Scoring.Bench -- --filter '*'
// In-process, as bench/Sluice.Network.Bench (the repository's build settings would otherwise apply to the projects
// BenchmarkDotNet generates); the memory diagnoser reports bytes allocated per operation.
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(3)
        .WithIterationCount(10)
        .AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
