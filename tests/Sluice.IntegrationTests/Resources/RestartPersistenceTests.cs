using System.Text.Json.Nodes;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Resources;

public sealed class RestartPersistenceTests
{
    private const string AccountKey = "cmVzdGFydC10ZXN0LWFjY291bnQta2V5LTk4NzY1NDMyMTA=";

    /// <summary>One show command per resource kind, each naming a resource created before the restart.</summary>
    private static readonly string[][] Shows =
    [
        ["workspace", "show", "-n", "research"],
        ["datastore", "show", "-n", "scratch_store"],
        ["datastore", "show", "-n", "blob_store"],
        ["data", "show", "-n", "readings", "-v", "1"],
        ["model", "show", "-n", "classifier", "-v", "1"],
        ["environment", "show", "-n", "scoring-env", "-v", "1"],
        ["compute", "show", "-n", "cpu-cluster"],
        ["component", "show", "-n", "score-step", "-v", "1"],
        ["batch-endpoint", "show", "-n", "scorer"],
        ["batch-deployment", "show", "-n", "classifier", "-e", "scorer"],
    ];

    [Fact]
    public async Task EveryResource_AfterServerRestartOnSameDataDirectory_IsShownWithTheSameFields()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var data = new TempFolder("server-data");
        using var folder = new TempFolder("project");
        using var store = new TempFolder("store");
        var project = TabularProject.Create(folder, "scorer");

        var before = new List<JsonNode>();
        var first = await RunningServer.StartAsync(data.Path, cancellationToken: cancellationToken);
        await using (first)
        {
            await new CliDriver(first.Url).OkAsync("workspace", "create", "-n", "research", "--description", "kept across restarts");
            var cli = new CliDriver(first.Url, "research");
            await cli.OkAsync("datastore", "create", "-f", LocalDatastore(folder, "scratch_store", store.Path));
            await cli.OkAsync("datastore", "create", "-f", BlobDatastore(folder, "blob_store", AccountKey));
            await cli.OkAsync("data", "create", "-n", "readings", "--path", DataFolder(folder, "readings", "kept"));
            await cli.OkAsync("model", "create", "-n", "classifier", "--path", project.ModelFile, "--type", "custom_model");
            await cli.OkAsync("environment", "create", "-f", Environment(folder, "scoring-env"));
            await cli.OkAsync("compute", "create", "-f", Compute(folder, "cpu-cluster", min: 1, max: 3));
            await cli.OkAsync("component", "create", "-f", CommandComponent(folder, "score-step"));
            await project.DeployAsync(cli);
            await cli.OkAsync("batch-deployment", "update", "-n", "classifier", "-e", "scorer", "--set", "settings.mini_batch_size=5");
            foreach (var show in Shows)
            {
                before.Add(Comparable((await cli.OkAsync(show)).Json()));
            }

            await first.StopAsync();
        }

        await using var second = await RunningServer.StartAsync(data.Path, cancellationToken: cancellationToken);
        var again = new CliDriver(second.Url, "research");
        for (var i = 0; i < Shows.Length; i++)
        {
            var after = await again.OkAsync(Shows[i]);
            Assert.DoesNotContain(AccountKey, after.Out, StringComparison.Ordinal);
            var expected = before[i].ToJsonString();
            var actual = Comparable(after.Json()).ToJsonString();
            Assert.True(expected == actual, $"sluice {string.Join(' ', Shows[i])} changed across the restart:\nbefore: {expected}\nafter:  {actual}");
        }

        Assert.Equal("kept across restarts", At(before[0], "description"));
        Assert.Equal("account_key", At(before[2], "credentials.type"));
        Assert.Equal("3", At(before[6], "max_instances"));
        Assert.Equal("classifier", At(before[8], "defaults.deployment_name"));
        Assert.Equal("5", At(before[9], "settings.mini_batch_size"));
        Assert.Equal(["research"], Names(await again.OkAsync("workspace", "list", "-o", "json")).Where(n => n == "research"));
        Assert.Equal(["scorer"], Names(await again.OkAsync("batch-endpoint", "list", "-o", "json")));
        Assert.Equal($"{second.Url}/workspaces/research/batchEndpoints/scorer/jobs", At((await again.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "scoring_uri"));
        Assert.Equal(["classifier"], Names(await again.OkAsync("batch-deployment", "list", "-e", "scorer", "-o", "json")));
    }

    /// <summary>
    /// The view without what legitimately changes with a restart: the scoring URI carries the new port, and a compute
    /// cluster's live state (its nodes: the local provisioner starts new ones for min_instances) is not stored.
    /// </summary>
    private static JsonNode Comparable(JsonNode view)
    {
        foreach (var live in (string[])["scoring_uri", "nodes", "jobs", "current_node_count", "preemptions", "subnet_capacity"])
        {
            view.AsObject().Remove(live);
        }

        return view;
    }
}
