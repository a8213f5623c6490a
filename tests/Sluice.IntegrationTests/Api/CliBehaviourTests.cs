using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Api;

public sealed class CliBehaviourTests
{
    private const string NoServer = "http://127.0.0.1:1";

    [Fact]
    public async Task Help_ListsEveryCommandGroup()
    {
        var result = await new CliDriver(NoServer).RunAsync("--help");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        string[] groups = ["workspace", "datastore", "data", "model", "environment", "compute", "component", "batch-endpoint", "batch-deployment", "job", "validate", "server", "quickstart"];
        var commandLines = result.Out.Split('\n').Select(l => l.Trim()).ToList();
        foreach (var group in groups)
        {
            Assert.True(commandLines.Any(l => l.StartsWith(group + " ", StringComparison.Ordinal)), $"--help does not list '{group}':\n{result.Out}");
        }
    }

    [Fact]
    public async Task UnreachableServer_ExitsOneWithOneLineErrorAndHint()
    {
        var result = await new CliDriver(NoServer).RunAsync("batch-endpoint", "list");

        Assert.True(result.ExitCode == ExitCodes.Error, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: Cannot reach the Sluice server at http://127.0.0.1:1/", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("hint: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("--server", lines[1], StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task MissingRequiredOption_ExitsInvalidWithUsageHint_WithoutContactingTheServer()
    {
        var result = await new CliDriver(NoServer).RunAsync("batch-deployment", "show", "-n", "classifier");

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains("--endpoint-name", result.Error, StringComparison.Ordinal);
        Assert.Contains("hint: run 'sluice batch-deployment show --help' for usage", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Cannot reach", result.Error, StringComparison.Ordinal);
    }
}
