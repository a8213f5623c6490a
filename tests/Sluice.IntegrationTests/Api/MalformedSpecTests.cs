using System.Net;
using System.Text.RegularExpressions;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Api;

public sealed class MalformedSpecTests
{
    [Fact]
    public async Task MalformedYaml_ViaCli_ExitsInvalidWithFileLineColumn_AndCreatesNothing()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("spec");
        var cli = new CliDriver(server.Url);
        var file = folder.Write("endpoint.yml", "name: scorer\ndescription: \"never closed\nauth_mode: key\n");

        var result = await cli.RunAsync("batch-endpoint", "create", "-f", file);

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Matches(new Regex($@"^  {Regex.Escape(file)}:[1-9]\d*:[1-9]\d*: not valid YAML", RegexOptions.Multiline), result.Error);
        Assert.Empty(Names(await cli.OkAsync("batch-endpoint", "list", "-o", "json")));
    }

    [Fact]
    public async Task UnknownKey_ViaCli_IsRefusedWithLocationAndDidYouMean_AndCreatesNothing()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("spec");
        var cli = new CliDriver(server.Url);
        var file = folder.Write("endpoint.yml", "name: scorer\ndescripton: a typo\n");

        var result = await cli.RunAsync("batch-endpoint", "create", "-f", file);

        Assert.True(result.ExitCode == ExitCodes.Invalid, result.ToString());
        Assert.Contains($"{file}:2:1: unknown key 'descripton'; did you mean 'description'?", result.Error, StringComparison.Ordinal);
        Assert.Empty(Names(await cli.OkAsync("batch-endpoint", "list", "-o", "json")));
    }

    [Theory]
    [InlineData("application/json", "{\n  \"description\": \"fine\",\n  \"descripton\": \"a typo\"\n}", 3, 3)]
    [InlineData("application/yaml", "description: fine\ndescripton: a typo\n", 2, 1)]
    public async Task UnknownKey_ViaHttpPut_IsRefusedWithErrorsCarryingLineColumnAndDidYouMean(string mediaType, string body, int line, int column)
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);

        var problem = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/workspaces/default/batchEndpoints/scorer", RawApi.Body(body, mediaType));

        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.Equal(line, (int?)error!["line"]);
        Assert.Equal(column, (int?)error["column"]);
        Assert.Equal("descripton", (string?)error["key"]);
        Assert.Contains("did you mean 'description'?", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusOfAsync("/workspaces/default/batchEndpoints/scorer"));
    }

    [Fact]
    public async Task MalformedYaml_ViaHttpPut_IsRefusedWithLineAndColumn_AndLeavesTheResourceUnchanged()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var api = new RawApi(server.Url);
        await new CliDriver(server.Url).OkAsync("batch-endpoint", "create", "-n", "scorer", "--description", "original");

        var problem = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/workspaces/default/batchEndpoints/scorer", RawApi.Body("description: changed\n  auth_mode: [key\n", "application/yaml"));

        var error = Assert.Single(problem["errors"]!.AsArray());
        Assert.True((int?)error!["line"] > 0, problem.ToJsonString());
        Assert.StartsWith("not valid YAML", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal("original", At(await api.GetAsync("/workspaces/default/batchEndpoints/scorer"), "description"));
    }
}
