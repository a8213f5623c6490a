namespace Sluice.Data.Store;

/// <summary>Where and how the metadata store lives.</summary>
public sealed class StoreOptions
{
    /// <summary>The data directory: the SQLite database, the default local datastores and key material live under it.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>
    /// Apply pending schema migrations when the server starts. On by default for the embedded SQLite store, where the
    /// server is the only user; operators of shared databases turn it off and run <c>sluice db migrate</c>.
    /// </summary>
    public bool AutoMigrate { get; set; } = true;

    public string DatabasePath => Path.Combine(DataDirectory, "sluice.db");

    public string ConnectionString => $"Data Source={DatabasePath};Cache=Shared;Pooling=True;Default Timeout=30";

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
