using Sluice.Core.Specs;
using Sluice.Core.Yaml;

namespace Sluice.Core.Tests.Yaml;

public sealed class EnumNamesTests
{
    [Theory]
    [InlineData("AadToken", "aad_token")]
    [InlineData("LowPriority", "low_priority")]
    [InlineData("AzureDataLakeGen2", "azure_data_lake_gen2")]
    [InlineData("MlflowModel", "mlflow_model")]
    [InlineData("Amlcompute", "amlcompute")]
    [InlineData("HTTPServer", "http_server")]
    [InlineData("BatchDeployment", "batch_deployment")]
    [InlineData("already_snake", "already_snake")]
    [InlineData("", "")]
    public void SnakeCase_SplitsWordsAtCapitals(string pascal, string expected)
    {
        Assert.Equal(expected, SnakeCase.From(pascal));
    }

    [Fact]
    public void All_ListsTheYamlWordsInDeclarationOrder()
    {
        Assert.Equal(["dedicated", "low_priority"], EnumNames<ComputeTier>.All);
        Assert.Equal(["local", "azure_blob", "azure_file", "azure_data_lake_gen1", "azure_data_lake_gen2"], EnumNames<DatastoreType>.All);
    }

    [Fact]
    public void ToName_GivesTheYamlWord()
    {
        Assert.Equal("summary_only", EnumNames<OutputAction>.ToName(OutputAction.SummaryOnly));
    }

    [Theory]
    [InlineData("low_priority")]
    [InlineData("LowPriority")]
    [InlineData("low-priority")]
    [InlineData("LOW_PRIORITY")]
    public void TryParse_AcceptsYamlAndRestSpellings(string text)
    {
        Assert.True(EnumNames<ComputeTier>.TryParse(text, out var tier));
        Assert.Equal(ComputeTier.LowPriority, tier);
    }

    [Theory]
    [InlineData("low")]
    [InlineData("")]
    [InlineData("1")]
    public void TryParse_RejectsOtherWords(string text)
    {
        Assert.False(EnumNames<ComputeTier>.TryParse(text, out _));
    }
}
