using System.Text.RegularExpressions;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Api;

/// <summary><c>sluice validate</c> works offline: every test points the CLI at a port where nothing listens.</summary>
public sealed class ValidateCommandTests
{
    private const string NoServer = "http://127.0.0.1:1";

    private const string GoodEndpoint = """
        $schema: https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json
        name: scorer
        description: scores tables
        """;

    // Three problems: an invalid name (line 1), a setting out of range (line 5), a misspelt key (line 6).
    private const string BadDeployment = """
        name: x
        endpoint_name: scorer
        model: azureml:classifier:1
        settings:
          mini_batch_size: 0
          max_concurency_per_instance: 2
        """;

    [Fact]
    public async Task Validate_GoodFile_ExitsZeroAndSaysWhatItIs()
    {
        using var folder = new TempFolder("validate");
        var file = folder.Write("endpoint.yml", GoodEndpoint);

        var result = await new CliDriver(NoServer).RunAsync("validate", "-f", file);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains($"{file}: valid (a batch endpoint)", result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Validate_BadFile_ExitsInvalidAndPrintsEveryProblemAsFileLineColumn()
    {
        using var folder = new TempFolder("validate");
        var file = folder.Write("deployment.yml", BadDeployment);

        var result = await new CliDriver(NoServer).RunAsync("validate", "-f", file);

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        var problems = Problems(result.Error, file);
        Assert.Equal([1, 5, 6], problems.Select(p => p.Line));
        Assert.Contains("'x' is not a valid name", problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("0 is out of range", problems[1].Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'max_concurrency_per_instance'?", problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("1 of 1 file invalid.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_SeveralFiles_ReportsEachAndFailsWhenAnyIsInvalid()
    {
        using var folder = new TempFolder("validate");
        var good = folder.Write("endpoint.yml", GoodEndpoint);
        var bad = folder.Write("deployment.yml", BadDeployment);
        var compute = folder.Write("compute.yml", "name: cpu-cluster\ntype: amlcompute\nmax_instances: 2\n");

        var mixed = await new CliDriver(NoServer).RunAsync("validate", "-f", good, bad, compute);
        var allGood = await new CliDriver(NoServer).RunAsync("validate", "-f", good, "-f", compute);

        Assert.True(mixed.ExitCode == ExitCodes.Invalid, mixed.ToString());
        Assert.Contains($"{good}: valid", mixed.Out, StringComparison.Ordinal);
        Assert.Contains($"{compute}: valid", mixed.Out, StringComparison.Ordinal);
        Assert.Equal(3, Problems(mixed.Error, bad).Count);
        Assert.Empty(Problems(mixed.Error, good));
        Assert.Contains("1 of 3 files invalid.", mixed.Error, StringComparison.Ordinal);
        Assert.True(allGood.ExitCode == ExitCodes.Success, allGood.ToString());
    }

    [Fact]
    public async Task Validate_EndpointWithPublicNetworkAccess_ExplainsThatTheWorkspaceDecidesTheNetworkMode()
    {
        using var folder = new TempFolder("validate");
        var file = folder.Write("endpoint.yml", GoodEndpoint + "\npublic_network_access: disabled\n");

        var result = await new CliDriver(NoServer).RunAsync("validate", "-f", file);

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        var problem = Assert.Single(Problems(result.Error, file));
        Assert.Equal(4, problem.Line);
        Assert.Contains("batch endpoints take their network mode from their workspace", problem.Message, StringComparison.Ordinal);
        Assert.Contains("set public_network_access on the workspace instead", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>The <c>FILE:LINE:COL: message</c> lines printed for one file, in order.</summary>
    private static List<(int Line, int Column, string Message)> Problems(string output, string file) =>
        [.. Regex.Matches(output, $@"^{Regex.Escape(file)}:(\d+):(\d+): (.+)$", RegexOptions.Multiline)
            .Select(m => (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), m.Groups[3].Value.TrimEnd('\r')))];
}
