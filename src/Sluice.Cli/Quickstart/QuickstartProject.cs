using Sluice.Scoring.Synthetic;

namespace Sluice.Cli.Quickstart;

/// <summary>
/// The quickstart's sample folder: an ONNX classifier that this code trains on synthetic data (nothing is
/// downloaded), CSV files to score, their true labels, and the endpoint and deployment files.
/// </summary>
public sealed class QuickstartProject
{
    public const string Endpoint = "quickstart";
    public const string Deployment = "classifier";
    public const int Files = 8;
    public const int RowsPerFile = 250;
    private const int Features = 8;
    private const int Classes = 3;

    private QuickstartProject(string folder) => Folder = folder;

    public string Folder { get; }

    public string DataFolder => Path.Combine(Folder, "data");

    public string LabelsFile => Path.Combine(Folder, "labels.csv");

    public string EndpointFile => Path.Combine(Folder, "endpoint.yml");

    public string DeploymentFile => Path.Combine(Folder, "deployment.yml");

    public string OutputsFolder => Path.Combine(Folder, "outputs");

    public const int TotalRows = Files * RowsPerFile;

    /// <summary>Writes the sample folder; an existing one is reused as is, so re-running scores the same data again.</summary>
    public static QuickstartProject Prepare(string folder, out bool created)
    {
        var project = new QuickstartProject(Path.GetFullPath(folder));
        created = !File.Exists(project.DeploymentFile) || !Directory.Exists(project.DataFolder);
        if (created)
        {
            project.Write();
        }

        return project;
    }

    private void Write()
    {
        Directory.CreateDirectory(Folder);

        // Same seed every time: the sample, its model and its accuracy are reproducible.
        var dataset = TabularDataset.Generate(2000 + TotalRows, Features, Classes, seed: 2026);
        var (train, holdout) = dataset.Split(2000);
        var model = LogisticRegressionTrainer.Fit(train, seed: 1);
        Directory.CreateDirectory(Path.Combine(Folder, "model"));
        File.WriteAllBytes(Path.Combine(Folder, "model", "model.onnx"), SyntheticModels.LogisticRegression(model));
        CsvDatasetWriter.Write(holdout, DataFolder, new CsvDatasetOptions { Files = Files, IncludeLabel = false, LabelsPath = LabelsFile });

        File.WriteAllText(EndpointFile, $"""
            $schema: https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json
            name: {Endpoint}
            description: The Sluice quickstart endpoint.
            auth_mode: aad_token
            """);
        File.WriteAllText(DeploymentFile, $"""
            $schema: https://azuremlschemas.azureedge.net/latest/modelBatchDeployment.schema.json
            name: {Deployment}
            endpoint_name: {Endpoint}
            description: A 3-class classifier in ONNX, scored without code (like Azure ML's no-code MLflow deployments).
            type: model
            model:
              name: quickstart-classifier
              path: model/model.onnx
            resources:
              instance_count: 1
            settings:
              mini_batch_size: 2
              max_concurrency_per_instance: 2
              output_action: append_row
              output_file_name: predictions.csv
              retry_settings:
                max_retries: 3
                timeout: 30
              error_threshold: -1
              logging_level: info
            """);
        File.WriteAllText(Path.Combine(Folder, "README.md"), """
            # Sluice quickstart sample

            - `model/model.onnx`: a 3-class logistic regression trained on synthetic data by `sluice quickstart`.
            - `data/`: CSV files to score (8 features per row, a header row).
            - `labels.csv`: the true class of every row (file, row, label), to check the predictions.
            - `endpoint.yml`, `deployment.yml`: Azure ML batch endpoint and deployment files; Sluice reads them unchanged.

            Repeat the quickstart by hand: run `./sluice server` in one terminal, then the commands `sluice quickstart` printed.
            """);
    }

    /// <summary>The share of predictions that match the true labels.</summary>
    public double Accuracy(string predictionsFile)
    {
        var truth = File.ReadLines(LabelsFile).Skip(1).Select(l => l.Split(',')).ToDictionary(c => (c[0], c[1]), c => c[2]);
        var lines = File.ReadLines(predictionsFile).Skip(1).Select(l => l.Split(',')).ToList();
        var correct = lines.Count(c => truth.TryGetValue((c[^1], c[0]), out var label) && label == c[1]);
        return lines.Count == 0 ? 0 : (double)correct / lines.Count;
    }
}
