using Sluice.Core.Specs;
using Sluice.Data.Datastores;

namespace Sluice.Data.Tests.Datastores;

public sealed class BlobUrlsTests
{
    private static DatastoreSpec Blob(string account, string container, string? endpoint = null, string? protocol = null) => new()
    {
        Name = "blob_store",
        Type = DatastoreType.AzureBlob,
        AccountName = account,
        ContainerName = container,
        Endpoint = endpoint,
        Protocol = protocol,
    };

    [Theory]
    [InlineData(null, null, "https://sluicetests.blob.core.windows.net/scoring/")]
    [InlineData("core.chinacloudapi.cn", null, "https://sluicetests.blob.core.chinacloudapi.cn/scoring/")]
    [InlineData(null, "http", "http://sluicetests.blob.core.windows.net/scoring/")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1", null, "http://127.0.0.1:10000/devstoreaccount1/scoring/")]
    public void ContainerUrl_FollowsTheEndpoint(string? endpoint, string? protocol, string expected)
    {
        Assert.Equal(expected, BlobUrls.ContainerUrl(Blob("sluicetests", "scoring", endpoint, protocol))!.AbsoluteUri);
    }

    [Fact]
    public void ContainerUrl_OfALocalDatastore_IsNull()
    {
        Assert.Null(BlobUrls.ContainerUrl(new DatastoreSpec { Name = "local", Type = DatastoreType.Local, Path = "/data" }));
    }

    [Theory]
    [InlineData("https://sluicetests.blob.core.windows.net/scoring/heart/data.csv", "heart/data.csv")]
    [InlineData("https://SluiceTests.Blob.Core.Windows.Net/scoring/heart/", "heart/")]
    [InlineData("http://sluicetests.blob.core.windows.net/scoring/a%20b.csv", "a b.csv")]
    [InlineData("https://sluicetests.blob.core.windows.net/scoring", "")]
    public void PathIn_TheContainer_IsTheBlobPath(string url, string expected)
    {
        var container = BlobUrls.ContainerUrl(Blob("sluicetests", "scoring"))!;

        Assert.Equal(expected, BlobUrls.PathIn(container, new Uri(url)));
    }

    [Theory]
    [InlineData("https://other.blob.core.windows.net/scoring/heart.csv")]
    [InlineData("https://sluicetests.blob.core.windows.net/scoring-old/heart.csv")]
    [InlineData("https://sluicetests.blob.core.windows.net/Scoring/heart.csv")]
    [InlineData("https://sluicetests.blob.core.windows.net:8443/scoring/heart.csv")]
    public void PathIn_AnotherAccountContainerOrPort_IsNull(string url)
    {
        var container = BlobUrls.ContainerUrl(Blob("sluicetests", "scoring"))!;

        Assert.Null(BlobUrls.PathIn(container, new Uri(url)));
    }

    [Fact]
    public void PathIn_AnEmulatorContainer_MatchesPathStyleUrls()
    {
        var container = BlobUrls.ContainerUrl(Blob("devstoreaccount1", "scoring", "http://127.0.0.1:10000/devstoreaccount1"))!;

        Assert.Equal("heart/data.csv", BlobUrls.PathIn(container, new Uri("http://127.0.0.1:10000/devstoreaccount1/scoring/heart/data.csv")));
        Assert.Null(BlobUrls.PathIn(container, new Uri("http://127.0.0.1:10001/devstoreaccount1/scoring/heart/data.csv")));
    }

    [Theory]
    [InlineData("https://sluicetests.blob.core.windows.net/scoring/heart.csv", "sluicetests", "scoring")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/scoring/heart.csv", "devstoreaccount1", "scoring")]
    public void Describe_NamesAccountAndContainer(string url, string account, string container)
    {
        Assert.Equal((account, container), BlobUrls.Describe(new Uri(url)));
    }
}
