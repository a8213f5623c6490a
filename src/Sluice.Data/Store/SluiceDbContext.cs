using Microsoft.EntityFrameworkCore;

namespace Sluice.Data.Store;

/// <summary>
/// The metadata store. The model uses only portable column types so that PostgreSQL is a provider switch (its own
/// migrations assembly), not a rewrite.
/// </summary>
public sealed class SluiceDbContext(DbContextOptions<SluiceDbContext> options) : DbContext(options)
{
    public DbSet<WorkspaceRecord> Workspaces => Set<WorkspaceRecord>();

    public DbSet<ResourceRecord> Resources => Set<ResourceRecord>();

    public DbSet<SecretRecord> Secrets => Set<SecretRecord>();

    public DbSet<JobRecord> Jobs => Set<JobRecord>();

    public DbSet<MiniBatchRecord> MiniBatches => Set<MiniBatchRecord>();

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
    }
}
