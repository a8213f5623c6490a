using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sluice.Cli.Infrastructure;
using Sluice.Core.Diagnostics;
using Sluice.Data.Store;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Store;

/// <summary>The server on PostgreSQL, set up as an operator would: <c>sluice db migrate --store …</c>, then the server.</summary>
public sealed class PostgresStoreTests(PostgresServer postgres)
{
    /// <summary>One show command per resource kind, each naming a resource created before the restart.</summary>
    private static readonly string[][] Shows =
    [
        ["workspace", "show", "-n", "research"],
        ["datastore", "show", "-n", "scratch_store"],
        ["data", "show", "-n", "readings", "-v", "1"],
        ["model", "show", "-n", "classifier", "-v", "2"],
        ["environment", "show", "-n", "scoring-env", "-v", "1"],
        ["compute", "show", "-n", "cpu-cluster"],
        ["component", "show", "-n", "score-step", "-v", "1"],
        ["batch-endpoint", "show", "-n", "scorer"],
        ["batch-deployment", "show", "-n", "classifier", "-e", "scorer"],
    ];

    [Fact]
    public async Task Resources_OnPostgreSql_AreCreatedShownListedAndDeleted()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync(cancellationToken: cancellationToken);
        await MigrateAsync(database.Url);
        await using var server = await RunningServer.StartAsync(configure: o => o.Store = database.Url, cancellationToken: cancellationToken);
        using var folder = new TempFolder("project");
        using var store = new TempFolder("store");
        var cli = new CliDriver(server.Url, "research");

        await CreateEveryKindAsync(new CliDriver(server.Url), cli, folder, store);

        Assert.Equal("kept in PostgreSQL", At((await cli.OkAsync("workspace", "show", "-n", "research")).Json(), "description"));
        Assert.Equal(["default", "research"], Names(await cli.OkAsync("workspace", "list", "-o", "json")));
        Assert.Equal(["2", "1"], (await cli.OkAsync("model", "list", "-n", "classifier", "-o", "json")).Json().AsArray().Select(item => At(item, "version")));
        Assert.Equal(["classifier", "scorer-model"], Names(await cli.OkAsync("model", "list", "-o", "json")));
        Assert.Equal("2", At((await cli.OkAsync("model", "show", "-n", "classifier")).Json(), "version"));
        Assert.Equal(["scratch_store", "workspaceblobstore"], Names(await cli.OkAsync("datastore", "list", "-o", "json")));
        Assert.Equal(["cpu-cluster"], Names(await cli.OkAsync("compute", "list", "-o", "json")));
        Assert.Equal(["scorer"], Names(await cli.OkAsync("batch-endpoint", "list", "-o", "json")));
        Assert.Equal(["classifier"], Names(await cli.OkAsync("batch-deployment", "list", "-e", "scorer", "-o", "json")));

        // The in-use checks search specs' JSON text for references.
        var modelInUse = await cli.RunAsync("model", "delete", "-n", "scorer-model", "-v", "1", "--yes");
        Assert.True(modelInUse.ExitCode == ExitCodes.Invalid, modelInUse.ToString());
        Assert.Contains("is used by deployment(s) scorer/classifier", modelInUse.Error, StringComparison.Ordinal);
        var computeInUse = await cli.RunAsync("compute", "delete", "-n", "cpu-cluster", "--yes");
        Assert.True(computeInUse.ExitCode == ExitCodes.Invalid, computeInUse.ToString());
        Assert.Contains("is used by deployment(s) scorer/classifier", computeInUse.Error, StringComparison.Ordinal);

        await cli.OkAsync("model", "delete", "-n", "classifier", "-v", "1", "--yes");
        await cli.OkAsync("batch-endpoint", "delete", "-n", "scorer", "--yes");
        await cli.OkAsync("compute", "delete", "-n", "cpu-cluster", "--yes");
        await cli.OkAsync("datastore", "delete", "-n", "scratch_store", "--yes");
        Assert.Equal(["2"], (await cli.OkAsync("model", "list", "-n", "classifier", "-o", "json")).Json().AsArray().Select(item => At(item, "version")));
        Assert.Empty(Names(await cli.OkAsync("batch-endpoint", "list", "-o", "json")));
        Assert.Empty(Names(await cli.OkAsync("compute", "list", "-o", "json")));
        var gone = await cli.RunAsync("datastore", "show", "-n", "scratch_store");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Contains("was not found", gone.Error, StringComparison.Ordinal);

        await cli.OkAsync("workspace", "delete", "-n", "research", "--yes");
        Assert.Equal(["default"], Names(await cli.OkAsync("workspace", "list", "-o", "json")));
        Assert.False(File.Exists(Path.Combine(server.DataDirectory, "sluice.db")), "the SQLite store was created although the server runs on PostgreSQL");
    }

    [Fact]
    public async Task EveryResource_AfterRestartOnSameDatabase_IsShownWithTheSameFields()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync(cancellationToken: cancellationToken);
        await MigrateAsync(database.Url);
        using var firstData = new TempFolder("server-data");
        using var folder = new TempFolder("project");
        using var store = new TempFolder("store");

        var before = new List<string>();
        var first = await RunningServer.StartAsync(firstData.Path, o => o.Store = database.Url, cancellationToken);
        await using (first)
        {
            var cli = new CliDriver(first.Url, "research");
            await CreateEveryKindAsync(new CliDriver(first.Url), cli, folder, store);
            foreach (var show in Shows)
            {
                before.Add(Comparable((await cli.OkAsync(show)).Json()));
            }

            await first.StopAsync();
        }

        // A server on another machine (here: another data directory) sharing the database sees the same resources.
        using var secondData = new TempFolder("server-data");
        await using var second = await RunningServer.StartAsync(secondData.Path, o => o.Store = database.Url, cancellationToken);
        var again = new CliDriver(second.Url, "research");
        for (var i = 0; i < Shows.Length; i++)
        {
            var after = Comparable((await again.OkAsync(Shows[i])).Json());
            Assert.True(before[i] == after, $"sluice {string.Join(' ', Shows[i])} changed across the restart:\nbefore: {before[i]}\nafter:  {after}");
        }

        Assert.Equal(["default", "research"], Names(await again.OkAsync("workspace", "list", "-o", "json")));
        Assert.Equal(["scorer"], Names(await again.OkAsync("batch-endpoint", "list", "-o", "json")));
        Assert.Equal("classifier", At((await again.OkAsync("batch-endpoint", "show", "-n", "scorer")).Json(), "defaults.deployment_name"));
        Assert.False(File.Exists(Path.Combine(secondData.Path, "sluice.db")), "the SQLite store was created although the server runs on PostgreSQL");
    }

    [Fact]
    public async Task Job_OnPostgreSql_WritesOnePredictionPerInputRowInInputOrder()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync(cancellationToken: cancellationToken);
        await MigrateAsync(database.Url);
        await using var server = await RunningServer.StartAsync(configure: o => o.Store = database.Url, cancellationToken: cancellationToken);
        using var folder = new TempFolder("project");
        var project = TabularProject.Create(folder, "pg-ep");
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (job, streamExit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "pg-ep", "--input", project.DataFolder);

        Assert.True(streamExit == ExitCodes.Success, $"job stream exited {streamExit}");
        var name = Infrastructure.Jobs.Name(job);
        var shown = (await cli.OkAsync("job", "show", "-n", name)).Json();
        Assert.Equal("Completed", Infrastructure.Jobs.Status(shown));
        Assert.Equal(project.Files, Infrastructure.Jobs.Items(shown, "succeeded"));
        Assert.Equal(3, Infrastructure.Jobs.MiniBatches(shown, "total"));
        Assert.Equal(3, Infrastructure.Jobs.MiniBatches(shown, "succeeded"));
        Assert.NotNull(shown["start_time"]);
        Assert.NotNull(shown["end_time"]);
        Assert.Equal([name], Names(await cli.OkAsync("job", "list", "-o", "json")));

        using var download = new TempFolder("download");
        await cli.OkAsync("job", "download", "-n", name, "--download-path", download.Path);
        var lines = File.ReadAllLines(download.Combine(name, "named-outputs", "score", "predictions.csv"));
        Assert.Equal(project.TotalRows, lines.Length - 1);
        var expectedOrder = Enumerable.Range(0, project.Files).SelectMany(f => Enumerable.Range(0, project.RowsPerFile).Select(r => $"{r},part-{f:D5}.csv")).ToList();
        Assert.Equal(expectedOrder, lines.Skip(1).Select(l => l.Split(',')).Select(c => $"{c[0]},{c[^1]}").ToList());
        Assert.All(lines.Skip(1), l => Assert.InRange(int.Parse(l.Split(',')[1], CultureInfo.InvariantCulture), 0, TabularProject.Classes - 1));
    }

    [Fact]
    public async Task Start_OnPostgreSqlWithPendingMigrations_RefusesWithTheMigrateHint()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync(cancellationToken: cancellationToken);
        using var data = new TempFolder("server-data");

        var refused = await Assert.ThrowsAsync<SluiceException>(() => RunningServer.StartAsync(data.Path, o => o.Store = database.Url, cancellationToken));

        Assert.Equal($"The PostgreSQL database {Displayed(database.Url)} needs {Migrations().Count} migration(s) ({string.Join(", ", Migrations())}).", refused.Message);
        Assert.StartsWith($"run 'sluice db migrate --store {Displayed(database.Url)}' once", refused.Hint, StringComparison.Ordinal);

        // The operator follows the hint; the server then starts, and the migration was not applied twice.
        var migrated = await MigrateAsync(database.Url);
        Assert.Contains(Migrations()[^1], migrated.Out, StringComparison.Ordinal);
        await using var server = await RunningServer.StartAsync(data.Path, o => o.Store = database.Url, cancellationToken);
        Assert.Equal(["default"], Names(await new CliDriver(server.Url).OkAsync("workspace", "list", "-o", "json")));
    }

    [Fact]
    public async Task ServerCommand_OnMissingPostgreSqlDatabase_FailsWithTheMigrateHint()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var url = await postgres.UrlForMissingDatabaseAsync(cancellationToken);
        using var data = new TempFolder("server-data");

        var refused = await new CliDriver(NoServer).RunAsync("server", "--store", url, "--data-dir", data.Path, "--urls", "http://127.0.0.1:0");

        Assert.True(refused.ExitCode == ExitCodes.Error, refused.ToString());
        Assert.Contains($"The PostgreSQL database {Displayed(url)} does not exist.", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"hint: run 'sluice db migrate --store {Displayed(url)}' to create it", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_OnPostgreSqlWithMigrate_AppliesTheMigrationsItself()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync(cancellationToken: cancellationToken);

        await using (var server = await RunningServer.StartAsync(configure: o => { o.Store = database.Url; o.AutoMigrate = true; }, cancellationToken: cancellationToken))
        {
            await new CliDriver(server.Url).OkAsync("workspace", "create", "-n", "migrated");
        }

        var status = await MigrateAsync(database.Url);
        Assert.Contains("is up to date", status.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DbMigrate_OnPostgreSql_CreatesTheDatabaseOnceAndNeverPrintsThePassword()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        const string Password = "pg-secret-4711";
        var url = (await postgres.UrlForMissingDatabaseAsync(cancellationToken)).Replace("postgres://postgres@", $"postgres://postgres:{Password}@", StringComparison.Ordinal);

        var first = await MigrateAsync(url);
        var second = await MigrateAsync(url);

        Assert.Equal($"Applied {Migrations().Count} migration(s) to {Displayed(url)}: {string.Join(", ", Migrations())}", first.Out.Trim());
        Assert.Equal($"{Displayed(url)} is up to date.", second.Out.Trim());
        Assert.DoesNotContain(Password, first.Out + first.Error + second.Out + second.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DbMigrate_OnUnreachablePostgreSql_FailsWithWhatToCheckAndNoPassword()
    {
        var port = UnusedPort();
        var url = $"postgres://sluice:pg-secret-4711@127.0.0.1:{port}/sluice";

        var failed = await new CliDriver(NoServer).RunAsync("db", "migrate", "--store", url);

        Assert.True(failed.ExitCode == ExitCodes.Error, failed.ToString());
        Assert.Contains($"error: Cannot use the PostgreSQL database postgres://sluice@127.0.0.1:{port}/sluice: Failed to connect to 127.0.0.1:{port}", failed.Error, StringComparison.Ordinal);
        Assert.Contains("hint: check that PostgreSQL runs there", failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("pg-secret-4711", failed.Out + failed.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SluiceStoreVariable_GivesTheDefaultStoreOfDbMigrateAndServer()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync(cancellationToken: cancellationToken);
        using var data = new TempFolder("server-data");
        var environment = new Dictionary<string, string> { [StoreLocation.EnvironmentVariable] = database.Url, ["SLUICE_DATA_DIR"] = data.Path };

        var refused = await RunCliProcessAsync(environment, ["server", "--urls", "http://127.0.0.1:0"], cancellationToken);
        var migrated = await RunCliProcessAsync(environment, ["db", "migrate"], cancellationToken);

        Assert.True(refused.ExitCode == ExitCodes.Error, refused.ToString());
        Assert.Contains($"hint: run 'sluice db migrate --store {Displayed(database.Url)}' once", refused.Error, StringComparison.Ordinal);
        Assert.True(migrated.ExitCode == ExitCodes.Success, migrated.ToString());
        Assert.StartsWith($"Applied {Migrations().Count} migration(s) to {Displayed(database.Url)}", migrated.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, "sluice.db")));
    }

    [Fact]
    public async Task Lists_OnDatabaseWithLinguisticCollation_SortNamesByteWiseAsOnSqlite()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync("en-US", cancellationToken);
        await MigrateAsync(database.Url);
        await using var server = await RunningServer.StartAsync(configure: o => o.Store = database.Url, cancellationToken: cancellationToken);
        using var folder = new TempFolder("compute");
        var cli = new CliDriver(server.Url);
        foreach (var name in new[] { "beta-cpu", "Zeta-cpu", "alpha-cpu", "Alpha-gpu" })
        {
            await cli.OkAsync("compute", "create", "-f", Compute(folder, name));
        }

        // en-US would give alpha-cpu, Alpha-gpu, beta-cpu, Zeta-cpu; SQLite (and the "C" collation) compare bytes.
        Assert.Equal(["Alpha-gpu", "Zeta-cpu", "alpha-cpu", "beta-cpu"], Names(await cli.OkAsync("compute", "list", "-o", "json")));
    }

    /// <summary><c>db migrate</c> talks to the database, not to a server; the driver still wants a server URL to pass.</summary>
    private const string NoServer = "http://127.0.0.1:9";

    private static async Task<CliResult> MigrateAsync(string url) => await new CliDriver(NoServer).OkAsync("db", "migrate", "--store", url);

    private static string Displayed(string url) => StoreLocation.Parse(url).Display;

    /// <summary>Every migration the PostgreSQL store has, oldest first.</summary>
    private static IReadOnlyList<string> Migrations()
    {
        using var db = SluiceDatabase.Open(new StoreOptions { Location = StoreLocation.Parse("postgres://sluice@localhost/sluice") });
        return [.. db.Database.GetMigrations()];
    }

    /// <summary>The real <c>sluice</c> command in its own process, for what only a process's environment can show.</summary>
    private static async Task<CliResult> RunCliProcessAsync(Dictionary<string, string> environment, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sluice.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start sluice");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task CreateEveryKindAsync(CliDriver defaultWorkspace, CliDriver cli, TempFolder folder, TempFolder store)
    {
        await defaultWorkspace.OkAsync("workspace", "create", "-n", "research", "--description", "kept in PostgreSQL");
        var project = TabularProject.Create(folder, "scorer");
        await cli.OkAsync("datastore", "create", "-f", LocalDatastore(folder, "scratch_store", store.Path));
        await cli.OkAsync("data", "create", "-n", "readings", "--path", DataFolder(folder, "readings", "kept"));
        await cli.OkAsync("model", "create", "-n", "classifier", "--path", project.ModelFile, "--type", "custom_model");
        await cli.OkAsync("model", "create", "-n", "classifier", "--path", folder.Write("v2/model.bin", "second"), "--type", "custom_model");
        await cli.OkAsync("environment", "create", "-f", Environment(folder, "scoring-env"));
        await cli.OkAsync("compute", "create", "-f", Compute(folder, "cpu-cluster", max: 3));
        await cli.OkAsync("component", "create", "-f", CommandComponent(folder, "score-step"));
        await project.DeployAsync(cli);
        await cli.OkAsync("batch-deployment", "update", "-n", "classifier", "-e", "scorer", "--set", "settings.mini_batch_size=5", "--set", "compute=azureml:cpu-cluster");
    }

    /// <summary>The view without what legitimately changes with a restart: the scoring URI carries the new port.</summary>
    private static string Comparable(JsonNode view)
    {
        view.AsObject().Remove("scoring_uri");
        return view.ToJsonString();
    }
}
