using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sluice.Data.Store;

namespace Sluice.Cluster.Membership;

/// <summary>
/// Before this server's silo joins: marks dead the silos the table still lists as alive but that no longer accept
/// connections — typically this machine's own server or nodes killed earlier. Orleans would vote them dead too, but a
/// joining silo first waits for every listed silo to answer, which after a crash delays the restart by tens of seconds.
/// Live silos are left to Orleans' own protocol.
/// </summary>
internal sealed partial class MembershipJanitor(IDbContextFactory<SluiceDbContext> factory, Microsoft.Extensions.Options.IOptions<Orleans.Configuration.ClusterOptions> cluster, TimeProvider clock, ILogger<MembershipJanitor> logger) : IHostedService
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromMilliseconds(500);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (!await db.ClusterVersions.AnyAsync(v => v.ClusterId == cluster.Value.ClusterId, cancellationToken))
        {
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var current = await db.ClusterVersions.AsNoTracking().FirstAsync(v => v.ClusterId == cluster.Value.ClusterId, cancellationToken);
        var dead = (int)SiloStatus.Dead;
        var listed = await db.ClusterMembers.Where(m => m.ClusterId == cluster.Value.ClusterId && m.Status != dead).ToListAsync(cancellationToken);
        var gone = new List<ClusterMemberRecord>();
        foreach (var member in listed)
        {
            var entry = MembershipEntryDto.FromJson(member.EntryJson);
            if (!await AcceptsConnectionsAsync(SiloAddress.FromParsableString(entry.Silo), cancellationToken))
            {
                member.EntryJson = (entry with { Status = SiloStatus.Dead }).ToJson();
                member.Status = dead;
                member.ETag = Guid.NewGuid().ToString("N");
                gone.Add(member);
                LogMarkedDead(logger, entry.Silo);
            }
        }

        if (gone.Count == 0)
        {
            return;
        }

        // Like any writer of the table: only if nobody changed it meanwhile (then Orleans' protocol takes over).
        var now = clock.GetUtcNow().UtcDateTime;
        var advanced = await db.ClusterVersions
            .Where(v => v.ClusterId == current.ClusterId && v.Version == current.Version && v.ETag == current.ETag)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, current.Version + 1).SetProperty(v => v.ETag, Guid.NewGuid().ToString("N")).SetProperty(v => v.ModifiedAt, now), cancellationToken);
        if (advanced == 1)
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static async Task<bool> AcceptsConnectionsAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        using var socket = new Socket(silo.Endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(silo.Endpoint, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 2210, Level = LogLevel.Information, Message = "Silo {Silo} is listed as alive but does not accept connections; marked dead before joining")]
    private static partial void LogMarkedDead(ILogger logger, string silo);
}
