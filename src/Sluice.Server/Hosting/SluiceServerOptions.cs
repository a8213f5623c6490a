using Microsoft.Extensions.Options;
using Sluice.Cluster.Hosting;

namespace Sluice.Server.Hosting;

/// <summary>Everything <c>sluice server</c> can be told. Validated at start-up so a bad setting fails before anything listens.</summary>
public sealed class SluiceServerOptions
{
    /// <summary>Sluice's own service tags and ports; by default the control plane is this server's advertised address.</summary>
    public Data.Network.SluiceNetworkOptions? Network { get; set; }

    /// <summary>
    /// Reverse proxies (addresses or CIDRs) whose <c>X-Forwarded-For</c> header names the real caller. Empty (the
    /// default): the TCP peer is the caller, and the header is ignored.
    /// </summary>
    public IReadOnlyList<string> TrustedProxies { get; set; } = [];

    public const string DefaultUrls = "http://127.0.0.1:5080";

    /// <summary>The data directory (<c>--data-dir</c>, <c>SLUICE_DATA_DIR</c>, default <c>~/.sluice</c>).</summary>
    public string DataDirectory { get; set; } = Data.Store.StoreOptions.DefaultDataDirectory();

    /// <summary>
    /// The key ring folder that encrypts stored secrets such as datastore credentials (<c>--key-ring</c>,
    /// <c>SLUICE_KEY_RING</c>); null means <c>&lt;data-dir&gt;/keys</c>. Servers sharing a database must share it.
    /// </summary>
    public string? KeyRingDirectory { get; set; }

    /// <summary>The key ring folder in effect: <see cref="KeyRingDirectory"/>, else <c>keys</c> in the data directory.</summary>
    public string KeyRingPath => KeyRingDirectory ?? Data.Secrets.SecretStoreOptions.DefaultFor(DataDirectory);

    /// <summary>Where the REST API listens; loopback by default, because the API has no authentication yet.</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>
    /// The metadata store (<c>--store</c>, <c>SLUICE_STORE</c>, default <c>sqlite</c>): <c>sqlite</c> for a file in the
    /// data directory, or <c>postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?npgsql-parameters]</c>.
    /// </summary>
    public string Store { get; set; } = Data.Store.StoreLocation.DefaultText();

    /// <summary>
    /// Apply pending database migrations at start-up (<c>--migrate</c>, <c>--no-migrate</c>). Null leaves it to the
    /// store: SQLite migrates; PostgreSQL, which several servers may share, does not and refuses to start with
    /// migrations pending (run <c>sluice db migrate --store …</c>).
    /// </summary>
    public bool? AutoMigrate { get; set; }

    public SiloOptions Silo { get; set; } = new();

    /// <summary>
    /// The <c>sluice</c> assembly (<c>sluice.dll</c>) that local nodes run; null means the one beside this server's
    /// code. Point it at a ReadyToRun-published CLI when the server itself runs from a plain build: a node's start-up
    /// is mostly JIT compilation (docs/benchmarks.md).
    /// </summary>
    public string? NodeAssembly { get; set; }

    public Cluster.Jobs.JobEngineOptions Jobs { get; set; } = new();

    /// <summary>How long a shutdown waits for in-flight requests and the silo to stop.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed class SluiceServerOptionsValidator : IValidateOptions<SluiceServerOptions>
{
    public ValidateOptionsResult Validate(string? name, SluiceServerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("The data directory is empty; pass --data-dir <folder> or set SLUICE_DATA_DIR.");
        }
        else
        {
            try
            {
                Directory.CreateDirectory(options.DataDirectory);
                var probe = Path.Combine(options.DataDirectory, $".write-test-{Environment.ProcessId}");
                File.WriteAllText(probe, string.Empty);
                File.Delete(probe);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                failures.Add($"The data directory '{options.DataDirectory}' cannot be written ({ex.Message}); pass --data-dir with a folder this user can write.");
            }

            var keyRing = new Data.Secrets.SecretStoreOptionsValidator().Validate(null, new Data.Secrets.SecretStoreOptions { KeyRingDirectory = options.KeyRingPath });
            if (keyRing.Failed)
            {
                failures.AddRange(keyRing.Failures);
            }
        }

        if (options.NodeAssembly is { } nodeAssembly && !File.Exists(nodeAssembly))
        {
            failures.Add($"The node assembly '{nodeAssembly}' does not exist; give the sluice.dll of a built or published Sluice CLI, or leave it unset.");
        }

        if (!Data.Store.StoreLocation.TryParse(options.Store, out _, out var storeProblem))
        {
            failures.Add(storeProblem);
        }

        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                failures.Add($"'{url}' is not an http(s) URL; write e.g. --urls http://127.0.0.1:5080.");
            }
        }

        if (!System.Net.IPAddress.TryParse(options.Silo.AdvertisedAddress, out var advertised) || advertised.Equals(System.Net.IPAddress.Any) || advertised.Equals(System.Net.IPAddress.IPv6Any))
        {
            failures.Add($"--advertise-address '{options.Silo.AdvertisedAddress}' is not an address other machines can reach; give this machine's IP address, e.g. 10.0.0.4.");
        }

        foreach (var proxy in options.TrustedProxies)
        {
            var text = proxy.Contains('/', StringComparison.Ordinal) ? proxy : $"{proxy}/{(proxy.Contains(':', StringComparison.Ordinal) ? 128 : 32)}";
            if (!System.Net.IPNetwork.TryParse(text, out _))
            {
                failures.Add($"--trusted-proxy '{proxy}' is not an IP address or CIDR; write e.g. --trusted-proxy 10.0.0.5 or --trusted-proxy 10.0.0.0/24.");
            }
        }

        foreach (var (port, label) in new[] { (options.Silo.SiloPort, "silo port"), (options.Silo.GatewayPort, "gateway port") })
        {
            if (port is < 0 or > 65535)
            {
                failures.Add($"The {label} {port} is not a TCP port (0 picks a free one).");
            }
        }

        if (options.ShutdownTimeout <= TimeSpan.Zero)
        {
            failures.Add("The shutdown timeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
