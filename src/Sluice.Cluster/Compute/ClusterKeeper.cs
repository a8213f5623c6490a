using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Core.Specs;
using Sluice.Data.Store;

namespace Sluice.Cluster.Compute;

/// <summary>
/// Keeps every compute cluster's manager awake on some server, so that <c>min_instances</c> holds and idle nodes are
/// released even when no job is running — and so that a manager lost with its server comes back on another one.
/// </summary>
public sealed partial class ClusterKeeper(IDbContextFactory<SluiceDbContext> store, IGrainFactory grains, TimeProvider clock, ILogger<ClusterKeeper> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var db = await store.CreateDbContextAsync(stoppingToken);
                var kind = ResourceKind.Compute.ToString();
                var clusters = await db.Resources.AsNoTracking().Where(r => r.Kind == kind).Select(r => r.Workspace + "/" + r.Name).ToListAsync(stoppingToken);
                foreach (var cluster in clusters)
                {
                    await grains.GetGrain<IComputeClusterGrain>(cluster).EnsureAsync();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex.Message);
            }

            try
            {
                await Task.Delay(Period, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 2320, Level = LogLevel.Warning, Message = "Could not wake the compute cluster managers: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);
}
