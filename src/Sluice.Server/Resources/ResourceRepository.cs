using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Data.Store;

namespace Sluice.Server.Resources;

/// <summary>Rows of the resources table in and out, for every kind. Callers pass the context so several steps share one transaction.</summary>
public sealed class ResourceRepository(TimeProvider clock)
{
    public static string KindKey(ResourceKind kind) => kind.ToString();

    public IQueryable<ResourceRecord> Query(SluiceDbContext db, string workspace, ResourceKind kind, string? parent = null)
    {
        var key = KindKey(kind);
        var query = db.Resources.Where(r => r.Workspace == workspace && r.Kind == key);
        return parent is null ? query : query.Where(r => r.Parent == parent);
    }

    public Task<ResourceRecord?> FindAsync(SluiceDbContext db, string workspace, ResourceKind kind, string name, string version = "", string parent = "", CancellationToken cancellationToken = default) =>
        Query(db, workspace, kind, parent).FirstOrDefaultAsync(r => r.Name == name && r.Version == version, cancellationToken);

    /// <summary>The most recently created version that is not archived, as Azure ML's <c>@latest</c> means.</summary>
    public Task<ResourceRecord?> FindLatestAsync(SluiceDbContext db, string workspace, ResourceKind kind, string name, CancellationToken cancellationToken = default) =>
        Query(db, workspace, kind, string.Empty).Where(r => r.Name == name && !r.Archived).OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>One more than the highest numeric version, or 1.</summary>
    public async Task<string> NextVersionAsync(SluiceDbContext db, string workspace, ResourceKind kind, string name, CancellationToken cancellationToken = default)
    {
        var highest = await Query(db, workspace, kind, string.Empty).Where(r => r.Name == name).MaxAsync(r => r.VersionNumber, cancellationToken);
        return ((highest ?? 0) + 1).ToString(CultureInfo.InvariantCulture);
    }

    public ResourceRecord NewRecord(string workspace, ResourceSpec spec, string parent = "", string version = "", JsonObject? system = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new ResourceRecord
        {
            Workspace = workspace,
            Kind = KindKey(spec.Kind),
            Parent = parent,
            Name = spec.Name,
            Version = version,
            VersionNumber = long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null,
            SpecJson = SpecCodec.Encode(spec),
            SystemJson = (system ?? []).ToJsonString(),
            CreatedAt = now,
            ModifiedAt = now,
        };
    }

    public void Update(ResourceRecord record, ResourceSpec spec, JsonObject? system = null)
    {
        record.SpecJson = SpecCodec.Encode(spec);
        if (system is not null)
        {
            record.SystemJson = system.ToJsonString();
        }

        record.ModifiedAt = clock.GetUtcNow().UtcDateTime;
    }

    public static StoredResource ToStored(ResourceRecord record)
    {
        var kind = Enum.Parse<ResourceKind>(record.Kind);
        return new StoredResource(
            record.Workspace,
            kind,
            record.Parent,
            record.Name,
            record.Version,
            SpecCodec.Decode(kind, record.SpecJson),
            JsonNode.Parse(record.SystemJson) as JsonObject ?? [],
            DateTime.SpecifyKind(record.CreatedAt, DateTimeKind.Utc),
            DateTime.SpecifyKind(record.ModifiedAt, DateTimeKind.Utc),
            record.Archived);
    }
}
