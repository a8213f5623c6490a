using Microsoft.EntityFrameworkCore;

namespace Sluice.Data.Store;

/// <summary>
/// The metadata store: one model for every provider. It uses only portable column types; each provider has a subclass
/// (<see cref="SqliteSluiceDbContext"/>, <see cref="PostgreSqlSluiceDbContext"/>) that exists to own that provider's
/// migrations. Code uses this type only, through <c>IDbContextFactory&lt;SluiceDbContext&gt;</c>.
/// </summary>
public abstract class SluiceDbContext : DbContext
{
    protected SluiceDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<WorkspaceRecord> Workspaces => Set<WorkspaceRecord>();

    public DbSet<ResourceRecord> Resources => Set<ResourceRecord>();

    public DbSet<SecretRecord> Secrets => Set<SecretRecord>();

    public DbSet<JobRecord> Jobs => Set<JobRecord>();

    public DbSet<MiniBatchRecord> MiniBatches => Set<MiniBatchRecord>();

    public DbSet<JobNodeShareRecord> JobNodeShares => Set<JobNodeShareRecord>();

    public DbSet<ClusterVersionRecord> ClusterVersions => Set<ClusterVersionRecord>();

    public DbSet<ClusterMemberRecord> ClusterMembers => Set<ClusterMemberRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WorkspaceRecord>(e =>
        {
            e.ToTable("workspaces");
            e.HasKey(w => w.Name);
            e.Property(w => w.Name).HasMaxLength(64);
        });

        modelBuilder.Entity<ResourceRecord>(e =>
        {
            e.ToTable("resources");
            e.HasKey(r => r.Id);
            e.Property(r => r.Workspace).HasMaxLength(64);
            e.Property(r => r.Kind).HasMaxLength(32);
            e.Property(r => r.Parent).HasMaxLength(256);
            e.Property(r => r.Name).HasMaxLength(256);
            e.Property(r => r.Version).HasMaxLength(64);
            e.HasIndex(r => new { r.Workspace, r.Kind, r.Parent, r.Name, r.Version }).IsUnique();
        });

        modelBuilder.Entity<SecretRecord>(e =>
        {
            e.ToTable("secrets");
            e.HasKey(s => new { s.Workspace, s.Scope, s.Name });
            e.Property(s => s.Workspace).HasMaxLength(64);
            e.Property(s => s.Scope).HasMaxLength(64);
            e.Property(s => s.Name).HasMaxLength(256);
        });

        modelBuilder.Entity<JobRecord>(e =>
        {
            e.ToTable("jobs");
            e.HasKey(j => new { j.Workspace, j.Name });
            e.Property(j => j.Workspace).HasMaxLength(64);
            e.Property(j => j.Name).HasMaxLength(256);
            e.Property(j => j.EndpointName).HasMaxLength(64);
            e.Property(j => j.DeploymentName).HasMaxLength(64);
            e.Property(j => j.Status).HasMaxLength(32);
            e.HasIndex(j => new { j.Workspace, j.EndpointName, j.CreatedAt });
            e.HasIndex(j => j.Status);
        });

        modelBuilder.Entity<MiniBatchRecord>(e =>
        {
            e.ToTable("mini_batches");
            e.HasKey(m => new { m.Workspace, m.Job, m.Index });
            e.Property(m => m.Workspace).HasMaxLength(64);
            e.Property(m => m.Job).HasMaxLength(256);
            e.Property(m => m.Status).HasMaxLength(16);
            e.HasIndex(m => new { m.Workspace, m.Job, m.Status });
        });

        modelBuilder.Entity<JobNodeShareRecord>(e =>
        {
            e.ToTable("job_node_shares");
            e.HasKey(n => new { n.Workspace, n.Job, n.Node });
            e.Property(n => n.Workspace).HasMaxLength(64);
            e.Property(n => n.Job).HasMaxLength(256);
            e.Property(n => n.Node).HasMaxLength(256);
        });

        modelBuilder.Entity<ClusterVersionRecord>(e =>
        {
            e.ToTable("cluster_versions");
            e.HasKey(v => v.ClusterId);
            e.Property(v => v.ClusterId).HasMaxLength(128);
            e.Property(v => v.ETag).HasMaxLength(64);
        });

        modelBuilder.Entity<ClusterMemberRecord>(e =>
        {
            e.ToTable("cluster_members");
            e.HasKey(m => new { m.ClusterId, m.Silo });
            e.Property(m => m.ClusterId).HasMaxLength(128);
            e.Property(m => m.Silo).HasMaxLength(128);
            e.Property(m => m.ETag).HasMaxLength(64);
        });
    }
}
