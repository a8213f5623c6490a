using System.Text.Json.Nodes;
using Parquet;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Jobs;

public sealed class OutputFormatTests
{
    [Fact]
    public async Task OutputFileNameEndingInJsonl_WritesTypedJsonLinesInInputOrder()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("jsonl");
        var project = TabularProject.Create(folder, "jsonl-ep", files: 3, rowsPerFile: 5);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "jsonl-ep", "--input", project.DataFolder, "--set", "output_file_name=predictions.jsonl");

        Assert.True(exit == 0, Infrastructure.Jobs.Reason(job));
        var lines = File.ReadAllLines(Path.Combine(Infrastructure.Jobs.Folder(server, job), "score", "predictions.jsonl"));
        Assert.Equal(project.TotalRows, lines.Length);
        var first = JsonNode.Parse(lines[0])!.AsObject();
        Assert.Equal(["row", "prediction", "probability_0", "probability_1", "probability_2", "file_name"], first.Select(p => p.Key));
        Assert.Equal(0, (long)first["row"]!);
        Assert.Equal("part-00000.csv", (string?)first["file_name"]);
        Assert.InRange((double)first["probability_0"]!, 0, 1);
        Assert.Equal("part-00002.csv", (string?)JsonNode.Parse(lines[^1])!["file_name"]);
    }

    [Fact]
    public async Task OutputFileNameEndingInParquet_WritesAParquetFileWithTypedColumns()
    {
        await using var server = await RunningServer.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var folder = new TempFolder("parquet-out");
        var project = TabularProject.Create(folder, "parquet-ep", files: 4, rowsPerFile: 7);
        var cli = new CliDriver(server.Url);
        await project.DeployAsync(cli);

        var (job, exit) = await Infrastructure.Jobs.RunAsync(cli, "-n", "parquet-ep", "--input", project.DataFolder, "--set", "output_file_name=scores.parquet");

        Assert.True(exit == 0, Infrastructure.Jobs.Reason(job));
        await using var file = File.OpenRead(Path.Combine(Infrastructure.Jobs.Folder(server, job), "score", "scores.parquet"));
        await using var reader = await ParquetReader.CreateAsync(file, cancellationToken: TestContext.Current.CancellationToken);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["row", "prediction", "probability_0", "probability_1", "probability_2", "file_name"], fields.Select(f => f.Name));
        Assert.Equal(typeof(long), fields[0].ClrType);
        Assert.Equal(typeof(double), fields[2].ClrType);
        Assert.Contains(fields[5].ClrType, new[] { typeof(string), typeof(ReadOnlyMemory<char>) }); // Parquet.Net 6 reads text columns as character memory
        Assert.Equal(project.TotalRows, reader.RowGroups.Sum(g => g.RowCount));
    }
}
