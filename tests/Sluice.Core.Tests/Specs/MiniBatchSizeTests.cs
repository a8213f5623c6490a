using Sluice.Core.Serialization;
using Sluice.Core.Specs;

namespace Sluice.Core.Tests.Specs;

public sealed class MiniBatchSizeTests
{
    [Theory]
    [InlineData("10", 10L, MiniBatchUnit.Files)]
    [InlineData("10MB", 10L << 20, MiniBatchUnit.Bytes)]
    [InlineData("512 kb", 512L << 10, MiniBatchUnit.Bytes)]
    [InlineData("2GiB", 2L << 30, MiniBatchUnit.Bytes)]
    [InlineData("5000 rows", 5000L, MiniBatchUnit.Rows)]
    [InlineData("1 row", 1L, MiniBatchUnit.Rows)]
    public void TryParse_AcceptsFilesSizesAndRows(string text, long value, MiniBatchUnit unit)
    {
        Assert.True(MiniBatchSize.TryParse(text, out var size, out var error), error);
        Assert.Equal(new MiniBatchSize(value, unit), size);
    }

    [Theory]
    [InlineData("0", "out of range")]
    [InlineData("100B", "out of range")]
    [InlineData("20GB", "out of range")]
    [InlineData("ten", "is not a mini-batch size")]
    [InlineData("5 lines", "is not a mini-batch size")]
    public void TryParse_RefusesWithAReason(string text, string reason)
    {
        Assert.False(MiniBatchSize.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_WithSizeInBytes_RoundTripsThroughCanonicalJson()
    {
        var read = SpecReader.Read("name: dep\nendpoint_name: my-ep\nmodel: azureml:m:1\nsettings:\n  mini_batch_size: 4MB\n", "spec.yml", null, new Sluice.Core.Yaml.SpecReadOptions { CheckLocalPaths = false }, DocumentKind.BatchDeployment);
        var deployment = Assert.IsType<ModelBatchDeploymentSpec>(read.Spec);
        var json = SpecCodec.Encode(deployment);

        Assert.Contains("\"mini_batch_size\":\"4MB\"", json, StringComparison.Ordinal);
        Assert.Equal(new MiniBatchSize(4L << 20, MiniBatchUnit.Bytes), SpecCodec.Decode<ModelBatchDeploymentSpec>(ResourceKind.BatchDeployment, json).Settings.MiniBatchSize);
    }
}
