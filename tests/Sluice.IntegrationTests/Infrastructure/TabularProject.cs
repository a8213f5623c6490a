using Sluice.Scoring.Synthetic;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>
/// A small scoring project on disk, as a user would have it: an ONNX classifier trained on synthetic data, a folder of
/// CSV inputs, and the endpoint and deployment YAML files.
/// </summary>
public sealed class TabularProject
{
    public const int Features = 8;
    public const int Classes = 3;

    private TabularProject(TempFolder folder, int files, int rowsPerFile)
    {
        Folder = folder;
        Files = files;
        RowsPerFile = rowsPerFile;
    }

    public TempFolder Folder { get; }

    public int Files { get; }

    public int RowsPerFile { get; }

    public int TotalRows => Files * RowsPerFile;

    public string DataFolder => Folder.Combine("data");

    public string ModelFile => Folder.Combine("model", "model.onnx");

    public string EndpointFile => Folder.Combine("endpoint.yml");

    public string DeploymentFile => Folder.Combine("deployment.yml");

    public static TabularProject Create(TempFolder folder, string endpoint, int files = 6, int rowsPerFile = 20, string deploymentSettings = "")
    {
        var data = TabularDataset.Generate(files * rowsPerFile + 600, Features, Classes, seed: 7);
        var (train, test) = data.Split(600);
        var model = LogisticRegressionTrainer.Fit(train);
        Directory.CreateDirectory(folder.Combine("model"));
        File.WriteAllBytes(folder.Combine("model", "model.onnx"), SyntheticModels.LogisticRegression(model));
        CsvDatasetWriter.Write(test, folder.Combine("data"), new CsvDatasetOptions { Files = files, IncludeLabel = false });
        folder.Write("endpoint.yml", $"name: {endpoint}\ndescription: test endpoint\n");
        folder.Write("deployment.yml", $"""
            name: classifier
            endpoint_name: {endpoint}
            model:
              name: {endpoint}-model
              path: model/model.onnx
            settings:
              mini_batch_size: 2
            {deploymentSettings}
            """);
        return new TabularProject(folder, files, rowsPerFile);
    }

    /// <summary>Creates the endpoint and the deployment through the CLI.</summary>
    public async Task DeployAsync(CliDriver cli)
    {
        await cli.OkAsync("batch-endpoint", "create", "-f", EndpointFile);
        await cli.OkAsync("batch-deployment", "create", "-f", DeploymentFile);
    }
}
