using Microsoft.Extensions.Options;
using Sluice.Cli.Infrastructure;
using Sluice.Data.Store;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Store;

/// <summary><c>--store</c> as the CLI and the server's options take it; the parser's cases are in Sluice.Data.Tests.</summary>
public sealed class StoreOptionTests
{
    /// <summary>These commands fail before talking to any server; the driver still wants a server URL to pass.</summary>
    private const string NoServer = "http://127.0.0.1:9";

    [Fact]
    public async Task DbMigrate_WithUrlWithoutUser_ExitsInvalidNamingTheProblemAndAnExample()
    {
        var result = await new CliDriver(NoServer).RunAsync("db", "migrate", "--store", "postgres://127.0.0.1:5432/sluice");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("error: The PostgreSQL URL 'postgres://127.0.0.1:5432/sluice' names no user: write USER@ before the host", result.Error, StringComparison.Ordinal);
        Assert.Contains(StoreLocation.Example, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_WithUnknownStore_ExitsInvalidBeforeListeningWithoutThePassword()
    {
        using var data = new TempFolder("server-data");

        var result = await new CliDriver(NoServer).RunAsync("server", "--store", "mysql://sluice:hunter2@db/sluice", "--data-dir", data.Path, "--urls", "http://127.0.0.1:0");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("error: The server's settings are invalid.", result.Error, StringComparison.Ordinal);
        Assert.Contains("'mysql://sluice:***@db/sluice' is not a store Sluice knows", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Out + result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, "sluice.db")));
    }

    [Fact]
    public async Task Server_WithMigrateAndNoMigrate_IsRefusedAsContradictory()
    {
        using var data = new TempFolder("server-data");

        var result = await new CliDriver(NoServer).RunAsync("server", "--migrate", "--no-migrate", "--data-dir", data.Path, "--urls", "http://127.0.0.1:0");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("--migrate and --no-migrate contradict each other", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerOptions_WithMalformedStore_FailValidationAtStart()
    {
        var failed = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RunningServer.StartAsync(configure: o => o.Store = "postgres://sluice@db:99999/sluice", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(failed.Failures, f => f.StartsWith("The PostgreSQL URL 'postgres://sluice@db:99999/sluice' has the port '99999', which is not a number from 1 to 65535", StringComparison.Ordinal));
    }
}
