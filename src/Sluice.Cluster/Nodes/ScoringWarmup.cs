using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Cluster.Workers;

namespace Sluice.Cluster.Nodes;

/// <summary>
/// Warms a node's scoring path (ONNX Runtime's native library, the tabular reader, session and output code) while its
/// silo joins the cluster, so that the first mini-batch of a cluster scaled from zero does not wait for it. A failure
/// is only logged: the first job then warms up the same code itself.
/// </summary>
internal sealed partial class ScoringWarmup(NodeOptions node, ILogger<ScoringWarmup> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(async () =>
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await Scoring.Onnx.OnnxWarmup.RunAsync(node.ScratchDirectory, stoppingToken);
            LogWarm(logger, (long)clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWarmupFailed(logger, ex.Message);
        }
    }, stoppingToken);

    [LoggerMessage(EventId = 2330, Level = LogLevel.Information, Message = "Scoring warmed up in {Milliseconds} ms")]
    private static partial void LogWarm(ILogger logger, long milliseconds);

    [LoggerMessage(EventId = 2331, Level = LogLevel.Warning, Message = "Could not warm up scoring: {Error}")]
    private static partial void LogWarmupFailed(ILogger logger, string error);
}
