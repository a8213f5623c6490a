using Sluice.Core.Naming;

namespace Sluice.Core.Tests.Naming;

public sealed class ResourceNamesTests
{
    [Theory]
    [InlineData("abc")]
    [InlineData("my-endpoint-1")]
    [InlineData("A23456789012345678901234567890AB")]
    public void Endpoint_AcceptsAzureStyleNames(string name)
    {
        Assert.Null(ResourceNames.Endpoint(name));
        Assert.Null(ResourceNames.Deployment(name));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("abc-")]
    [InlineData("my_endpoint")]
    [InlineData("A23456789012345678901234567890ABC")]
    public void Endpoint_RejectsNamesOutsideTheRule(string name)
    {
        Assert.Equal(
            $"'{name}' is not a valid name: an endpoint name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'",
            ResourceNames.Endpoint(name));
    }

    [Theory]
    [InlineData("ws1", true)]
    [InlineData("my_workspace-1", true)]
    [InlineData("ws", false)]
    [InlineData("-ws1", false)]
    [InlineData("a2345678901234567890123456789012a", true)]
    [InlineData("a2345678901234567890123456789012ab", false)]
    public void Workspace_AllowsThreeToThirtyThreeCharacters(string name, bool valid)
    {
        Assert.Equal(valid, ResourceNames.Workspace(name) is null);
    }

    [Theory]
    [InlineData("cc", true)]
    [InlineData("c", false)]
    [InlineData("cpu-cluster", true)]
    [InlineData("cpu_cluster", false)]
    [InlineData("cluster-", false)]
    public void Compute_AllowsTwoToThirtyTwoCharacters(string name, bool valid)
    {
        Assert.Equal(valid, ResourceNames.Compute(name) is null);
    }

    [Theory]
    [InlineData("workspaceblobstore", true)]
    [InlineData("blob_store_1", true)]
    [InlineData("blob-store", false)]
    [InlineData("", false)]
    public void Datastore_AllowsLettersDigitsAndUnderscores(string name, bool valid)
    {
        Assert.Equal(valid, ResourceNames.Datastore(name) is null);
    }

    [Theory]
    [InlineData("m", true)]
    [InlineData("heart-classifier.v2_final", true)]
    [InlineData(".hidden", false)]
    [InlineData("has space", false)]
    public void Asset_AllowsDotsDashesAndUnderscores(string name, bool valid)
    {
        Assert.Equal(valid, ResourceNames.Asset(name) is null);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("2024.01.02-rc1", true)]
    [InlineData("-1", false)]
    [InlineData("123456789012345678901234567890", true)]
    [InlineData("1234567890123456789012345678901", false)]
    public void Version_AllowsUpToThirtyCharacters(string version, bool valid)
    {
        Assert.Equal(valid, ResourceNames.Version(version) is null);
    }

    [Theory]
    [InlineData("batchjob-1_a", true)]
    [InlineData("job.1", false)]
    public void Job_AllowsDashesAndUnderscores(string name, bool valid)
    {
        Assert.Equal(valid, ResourceNames.Job(name) is null);
    }
}
