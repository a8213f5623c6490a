using System.Globalization;
using Sluice.Scoring.Synthetic;

namespace Sluice.Scoring.Tests.Synthetic;

public sealed class CsvDatasetWriterTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("sluice-scoring-tests-");

    public void Dispose() => temp.Delete(recursive: true);

    private string Folder => Path.Combine(temp.FullName, "data");

    [Fact]
    public void Write_SplitsRowsIntoFilesOfNearlyEqualSize_InNameOrder()
    {
        var data = TabularDataset.Generate(10, 3, 2, seed: 1);

        var files = CsvDatasetWriter.Write(data, Folder, new CsvDatasetOptions { Files = 3 }, TestContext.Current.CancellationToken);

        Assert.Equal(["part-00000.csv", "part-00001.csv", "part-00002.csv"], files.DataFiles.Select(Path.GetFileName));
        Assert.Equal(files.DataFiles, Directory.GetFiles(Folder).Order(StringComparer.Ordinal));
        Assert.Equal([3, 3, 4], files.RowsPerFile);
        Assert.Equal([4, 4, 5], files.DataFiles.Select(f => File.ReadAllLines(f).Length));
        Assert.All(files.DataFiles, f => Assert.Equal("f0,f1,f2,label", File.ReadLines(f).First()));
        Assert.Null(files.LabelsFile);
    }

    [Fact]
    public void Write_Values_ParseBackExactlyWithInvariantCulture()
    {
        var data = TabularDataset.Generate(250, 6, 3, seed: 2);

        var files = CsvDatasetWriter.Write(data, Folder, new CsvDatasetOptions { Files = 2 }, TestContext.Current.CancellationToken);

        var rows = files.DataFiles.SelectMany(f => File.ReadLines(f).Skip(1)).ToList();
        Assert.Equal(250, rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var fields = rows[r].Split(',');
            Assert.Equal(7, fields.Length);
            for (var f = 0; f < 6; f++)
            {
                Assert.Matches(@"^-?\d+(\.\d+)?(E[-+]\d+)?$", fields[f]);
                Assert.Equal(data.Row(r)[f], float.Parse(fields[f], NumberStyles.Float, CultureInfo.InvariantCulture));
            }

            Assert.Equal(data.Labels.Span[r], int.Parse(fields[6], CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Write_WithoutLabelColumn_WritesLabelsToTheirOwnFile()
    {
        var data = TabularDataset.Generate(7, 2, 3, seed: 3);
        var labelsPath = Path.Combine(temp.FullName, "labels.csv");

        var files = CsvDatasetWriter.Write(data, Folder, new CsvDatasetOptions { Files = 2, IncludeLabel = false, LabelsPath = labelsPath }, TestContext.Current.CancellationToken);

        Assert.All(files.DataFiles, f => Assert.Equal("f0,f1", File.ReadLines(f).First()));
        Assert.All(files.DataFiles.SelectMany(f => File.ReadLines(f).Skip(1)), line => Assert.Equal(2, line.Split(',').Length));
        Assert.Equal(labelsPath, files.LabelsFile);
        Assert.DoesNotContain(labelsPath, Directory.GetFiles(Folder));
        string[] expected =
        [
            "file,row,label",
            .. Enumerable.Range(0, 3).Select(r => $"part-00000.csv,{r},{data.Labels.Span[r]}"),
            .. Enumerable.Range(0, 4).Select(r => $"part-00001.csv,{r},{data.Labels.Span[3 + r]}"),
        ];
        Assert.Equal(expected, File.ReadAllLines(labelsPath));
    }

    [Fact]
    public void Write_WithFeatureNames_UsesThemAsHeader()
    {
        var data = TabularDataset.Generate(4, 3, 2, seed: 4);

        var files = CsvDatasetWriter.Write(data, Folder, new CsvDatasetOptions { FeatureNames = ["age", "income", "tenure"], LabelColumn = "churned" }, TestContext.Current.CancellationToken);

        Assert.Equal("age,income,tenure,churned", File.ReadLines(Assert.Single(files.DataFiles)).First());
    }

    [Fact]
    public void Write_StreamedRows_GivesTheSameFilesAsInMemoryRows()
    {
        var inMemory = Path.Combine(temp.FullName, "memory");
        var streamed = Path.Combine(temp.FullName, "stream");
        var options = new CsvDatasetOptions { Files = 4 };

        var a = CsvDatasetWriter.Write(TabularDataset.Generate(1_000, 4, 3, seed: 5), inMemory, options, TestContext.Current.CancellationToken);
        var b = CsvDatasetWriter.Write(TabularDataset.Stream(1_000, 4, 3, seed: 5), 1_000, 4, streamed, options, TestContext.Current.CancellationToken);

        Assert.Equal(a.DataFiles.Select(File.ReadAllBytes), b.DataFiles.Select(File.ReadAllBytes));
    }

    [Fact]
    public void Write_StreamShorterThanPromised_Throws()
    {
        var rows = TabularDataset.Stream(5, 2, 2, seed: 6);

        Assert.Throws<ArgumentException>(() => CsvDatasetWriter.Write(rows, 6, 2, Folder, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("a", "b,c")]
    [InlineData("a", "label")]
    public void Write_WithUnusableFeatureNames_Throws(string first, string second)
    {
        var data = TabularDataset.Generate(4, 2, 2, seed: 7);

        Assert.Throws<ArgumentException>(() => CsvDatasetWriter.Write(data, Folder, new CsvDatasetOptions { FeatureNames = [first, second] }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Write_MoreFilesThanRows_Throws()
    {
        var data = TabularDataset.Generate(2, 2, 2, seed: 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => CsvDatasetWriter.Write(data, Folder, new CsvDatasetOptions { Files = 3 }, TestContext.Current.CancellationToken));
    }
}
