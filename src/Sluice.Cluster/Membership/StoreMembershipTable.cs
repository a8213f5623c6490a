using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Sluice.Data.Store;

namespace Sluice.Cluster.Membership;

/// <summary>
/// Orleans' membership table over Sluice's own store (SQLite or PostgreSQL): one database to run, whatever the number
/// of servers. Each write is one transaction whose first step is a conditional update of the table's version row, so
/// concurrent writers cannot both succeed — Orleans' optimistic-concurrency contract.
/// </summary>
public sealed class StoreMembershipTable(IDbContextFactory<SluiceDbContext> factory, IOptions<ClusterOptions> cluster, TimeProvider clock) : IMembershipTable
{
    private string ClusterId => cluster.Value.ClusterId;

    public async Task InitializeMembershipTable(bool tryInitTableVersion)
    {
        if (!tryInitTableVersion)
        {
            return;
        }

        // Servers starting together race to create the version row; ON CONFLICT lets the losers pass quietly
        // (SQLite and PostgreSQL both speak it) instead of failing an insert the database then logs as an error.
        await using var db = await factory.CreateDbContextAsync();
        var (etag, now) = (NewETag(), Now());
        await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO cluster_versions ("ClusterId", "Version", "ETag", "ModifiedAt") VALUES ({ClusterId}, 0, {etag}, {now}) ON CONFLICT DO NOTHING""");
    }

    public async Task DeleteMembershipTableEntries(string clusterId)
    {
        await using var db = await factory.CreateDbContextAsync();
        await db.ClusterMembers.Where(m => m.ClusterId == clusterId).ExecuteDeleteAsync();
        await db.ClusterVersions.Where(v => v.ClusterId == clusterId).ExecuteDeleteAsync();
    }

    public async Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate)
    {
        var before = beforeDate.UtcDateTime;
        var dead = (int)SiloStatus.Dead;
        await using var db = await factory.CreateDbContextAsync();
        await db.ClusterMembers.Where(m => m.ClusterId == ClusterId && m.Status == dead && m.IAmAliveTime < before).ExecuteDeleteAsync();
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadAsync(key.ToParsableString());

    public Task<MembershipTableData> ReadAll() => ReadAsync(null);

    public async Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion)
    {
        var dto = MembershipEntryDto.From(entry);
        await using var db = await factory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!await AdvanceVersionAsync(db, tableVersion) || await db.ClusterMembers.AnyAsync(m => m.ClusterId == ClusterId && m.Silo == dto.Silo))
        {
            return false;
        }

        db.ClusterMembers.Add(new ClusterMemberRecord
        {
            ClusterId = ClusterId,
            Silo = dto.Silo,
            EntryJson = dto.ToJson(),
            ETag = NewETag(),
            Status = (int)dto.Status,
            IAmAliveTime = dto.IAmAliveTime,
        });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    public async Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion)
    {
        var dto = MembershipEntryDto.From(entry);
        await using var db = await factory.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!await AdvanceVersionAsync(db, tableVersion))
        {
            return false;
        }

        var json = dto.ToJson();
        var status = (int)dto.Status;
        var updated = await db.ClusterMembers
            .Where(m => m.ClusterId == ClusterId && m.Silo == dto.Silo && m.ETag == etag)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.EntryJson, json).SetProperty(m => m.ETag, NewETag()).SetProperty(m => m.Status, status).SetProperty(m => m.IAmAliveTime, dto.IAmAliveTime));
        if (updated != 1)
        {
            return false;
        }

        await transaction.CommitAsync();
        return true;
    }

    /// <summary>Records a silo's heartbeat without touching the row's etag or the table version, as Orleans expects.</summary>
    public async Task UpdateIAmAlive(MembershipEntry entry)
    {
        var silo = entry.SiloAddress.ToParsableString();
        await using var db = await factory.CreateDbContextAsync();
        var row = await db.ClusterMembers.FirstOrDefaultAsync(m => m.ClusterId == ClusterId && m.Silo == silo);
        if (row is null)
        {
            return;
        }

        var alive = DateTime.SpecifyKind(entry.IAmAliveTime.ToUniversalTime(), DateTimeKind.Utc);
        row.EntryJson = (MembershipEntryDto.FromJson(row.EntryJson) with { IAmAliveTime = alive }).ToJson();
        row.IAmAliveTime = alive;
        await db.SaveChangesAsync();
    }

    private async Task<MembershipTableData> ReadAsync(string? silo)
    {
        await using var db = await factory.CreateDbContextAsync();
        var version = await db.ClusterVersions.AsNoTracking().FirstOrDefaultAsync(v => v.ClusterId == ClusterId)
            ?? new ClusterVersionRecord { ClusterId = ClusterId, Version = 0, ETag = "0" };
        var query = db.ClusterMembers.AsNoTracking().Where(m => m.ClusterId == ClusterId);
        if (silo is not null)
        {
            query = query.Where(m => m.Silo == silo);
        }

        var rows = await query.ToListAsync();
        return new MembershipTableData(
            rows.Select(r => Tuple.Create(MembershipEntryDto.FromJson(r.EntryJson).ToEntry(), r.ETag)).ToList(),
            new TableVersion(version.Version, version.ETag));
    }

    /// <summary>Moves the table to <paramref name="next"/> only if it is still at the version <paramref name="next"/> was derived from.</summary>
    private async Task<bool> AdvanceVersionAsync(SluiceDbContext db, TableVersion next)
    {
        var now = Now();
        var updated = await db.ClusterVersions
            .Where(v => v.ClusterId == ClusterId && v.Version == next.Version - 1 && v.ETag == next.VersionEtag)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Version, next.Version).SetProperty(v => v.ETag, NewETag()).SetProperty(v => v.ModifiedAt, now));
        return updated == 1;
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private static string NewETag() => Guid.NewGuid().ToString("N");
}
