namespace Sluice.Data.Store;

/// <summary>Where and how the metadata store lives.</summary>
public sealed class StoreOptions
{
    /// <summary>The data directory: the SQLite database, the default local datastores and key material live under it.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>Which database holds the store: SQLite in the data directory (the default) or PostgreSQL.</summary>
    public StoreLocation Location { get; set; } = StoreLocation.Sqlite;

    /// <summary>
    /// Apply pending schema migrations when the server starts; null leaves it to the provider. The embedded SQLite store
    /// migrates (the server is its only user). PostgreSQL does not: several servers may share the database, so an
    /// operator runs <c>sluice db migrate --store …</c> once, and a server finding migrations pending refuses to start.
    /// </summary>
    public bool? AutoMigrate { get; set; }

    /// <summary>Whether the server applies pending migrations at start-up (<see cref="AutoMigrate"/>, else the provider's default).</summary>
    public bool MigratesAtStart => AutoMigrate ?? Location.Provider == StoreProvider.Sqlite;

    public string DatabasePath => Path.Combine(DataDirectory, "sluice.db");

    /// <summary>
    /// Where a long local listing spills its sorted runs. Under the data directory rather than the system's temporary
    /// folder: that is often a RAM-backed file system, and spilling to RAM would defeat the listing's memory bound.
    /// </summary>
    public string ListingSpillDirectory => Path.Combine(DataDirectory, "tmp", "listing");

    /// <summary>
    /// The provider's connection string. It may hold a password: never log it (log <see cref="StoreLocation.Display"/>).
    /// SQLite connections use a private cache each, not a shared one: in WAL mode a reader then sees a snapshot and
    /// never waits for a writer, while a shared cache locks whole tables, and a reader that meets a writer's lock was
    /// retried only after 150 ms (measured: job progress writes held up dispatch refills and <c>job show</c>).
    /// </summary>
    public string ConnectionString => Location.Provider switch
    {
        StoreProvider.Sqlite => $"Data Source={DatabasePath};Cache=Private;Pooling=True;Default Timeout=30",
        _ => Location.ConnectionString!,
    };

    /// <summary>The store for messages: the SQLite file's folder, or the PostgreSQL URL without its password.</summary>
    public string Describe() => Location.Provider switch
    {
        StoreProvider.Sqlite => $"the database in '{DataDirectory}'",
        _ => $"the PostgreSQL database {Location.Display}",
    };

    /// <summary><c>SLUICE_DATA_DIR</c>, else <c>~/.sluice</c>.</summary>
    public static string DefaultDataDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SLUICE_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".sluice");
    }
}
