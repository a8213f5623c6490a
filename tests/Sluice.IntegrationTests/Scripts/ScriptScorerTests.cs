using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Scripts;

public sealed class ScriptScorerTests
{
    private const string Scorer = """
        import os

        WEIGHTS = {}


        def init():
            # Azure ML's variables: where the model and the outputs are.
            global WEIGHTS
            model_dir = os.environ["AZUREML_MODEL_DIR"]
            with open(os.path.join(model_dir, "weights.txt")) as f:
                for line in f:
                    word, weight = line.split()
                    WEIGHTS[word] = float(weight)
            print("init: loaded", len(WEIGHTS), "weights; greeting =", os.environ.get("GREETING"))


        def run(mini_batch):
            results = []
            for path in mini_batch:
                name = os.path.basename(path)
                if "die" in name and not os.path.exists(os.environ["DIE_MARKER"]):
                    open(os.environ["DIE_MARKER"], "w").close()
                    os._exit(3)
                if "bad" in name:
                    raise ValueError("cannot score " + name)
                with open(path) as f:
                    words = f.read().split()
                score = sum(WEIGHTS.get(w, 0.0) for w in words)
                results.append({"file": name, "words": len(words), "score": score})
            return results
        """;

    [Fact]
    public async Task PythonScoringScript_RunsUnchanged_WithInitRunAndAzureVariables()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("python");
        var cli = await DeployAsync(server, folder, maxRetries: 0);
        folder.Write("inputs/a.txt", "good good bad_word");
        folder.Write("inputs/b.txt", "good");

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "py-ep", "--input", folder.Combine("inputs"));

        Assert.True(exit == 0, Infrastructure.Jobs.Reason(job));
        var jobFolder = Infrastructure.Jobs.Folder(server, job);
        Assert.Equal(["file,words,score", "a.txt,3,1", "b.txt,1,1"], File.ReadAllLines(Path.Combine(jobFolder, "score", "predictions.csv")));
        var stdout = string.Concat(Directory.GetFiles(Path.Combine(jobFolder, "logs", "user", "stdout")).Select(File.ReadAllText));
        Assert.Contains("init: loaded 2 weights; greeting = hello", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonScriptThatRaises_FailsItsMiniBatch_WithTheTracebackInTheErrorLog()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("python-raises");
        var cli = await DeployAsync(server, folder, maxRetries: 0);
        folder.Write("inputs/a.txt", "good");
        folder.Write("inputs/b-bad.txt", "good");

        var (job, _) = await Infrastructure.Jobs.RunAsync(cli, "-n", "py-ep", "--input", folder.Combine("inputs"));

        Assert.Equal(1, Infrastructure.Jobs.Items(job, "failed"));
        var jobFolder = Infrastructure.Jobs.Folder(server, job);
        Assert.Contains("ValueError,cannot score b-bad.txt", File.ReadAllText(Path.Combine(jobFolder, "logs", "failed_items.csv")), StringComparison.Ordinal);
        var errors = string.Concat(Directory.GetFiles(Path.Combine(jobFolder, "logs", "user", "error")).Select(File.ReadAllText));
        Assert.Contains("Traceback (most recent call last)", errors, StringComparison.Ordinal);
        Assert.Contains("ValueError: cannot score b-bad.txt", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PythonWorkerProcessThatExitsMidBatch_IsRestartedAndTheMiniBatchRetried()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("python-dies");
        var cli = await DeployAsync(server, folder, maxRetries: 2);
        folder.Write("inputs/a.txt", "good");
        folder.Write("inputs/b-die.txt", "good good");
        folder.Write("inputs/c.txt", "bad_word");

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "py-ep", "--input", folder.Combine("inputs"));

        Assert.True(exit == 0, Infrastructure.Jobs.Reason(job));
        Assert.Equal(3, Infrastructure.Jobs.Items(job, "succeeded"));
        var jobFolder = Infrastructure.Jobs.Folder(server, job);
        Assert.Equal(["file,words,score", "a.txt,1,1", "b-die.txt,2,2", "c.txt,1,-1"], File.ReadAllLines(Path.Combine(jobFolder, "score", "predictions.csv")));
        var errors = string.Concat(Directory.GetFiles(Path.Combine(jobFolder, "logs", "user", "error")).Select(File.ReadAllText));
        Assert.Contains("exited with code 3", errors, StringComparison.Ordinal);
    }

    private static async Task<CliDriver> DeployAsync(RunningServer server, TempFolder folder, int maxRetries)
    {
        folder.Write("code/batch_driver.py", Scorer);
        folder.Write("model/weights.txt", "good 1.0\nbad_word -1.0\n");
        folder.Write("endpoint.yml", "name: py-ep\n");
        folder.Write("deployment.yml", $"""
            name: python-dpl
            endpoint_name: py-ep
            model:
              name: py-weights
              path: model
            code_configuration:
              code: code
              scoring_script: batch_driver.py
            environment:
              name: python-env
              interpreter: python3
            settings:
              mini_batch_size: 1
              retry_settings:
                max_retries: {maxRetries}
              environment_variables:
                GREETING: hello
                DIE_MARKER: {folder.Combine("died-once")}
            """);
        var cli = new CliDriver(server.Url);
        await cli.OkAsync("batch-endpoint", "create", "-f", folder.Combine("endpoint.yml"));
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("deployment.yml"));
        return cli;
    }
}
