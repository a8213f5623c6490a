using Sluice.Core.References;

namespace Sluice.Core.Tests.References;

public sealed class ReferenceParserTests
{
    private static Reference Parse(string text, ReferenceForms forms, string? baseDirectory = null)
    {
        Assert.True(ReferenceParser.TryParse(text, forms, baseDirectory, out var reference, out var error), error);
        Assert.Null(error);
        return reference!;
    }

    private static string Reject(string text, ReferenceForms forms)
    {
        Assert.False(ReferenceParser.TryParse(text, forms, null, out _, out var error));
        return error!;
    }

    [Fact]
    public void AssetWithVersion_IsPinned()
    {
        var reference = Assert.IsType<AssetReference>(Parse("azureml:mnist-model:3", ReferenceForms.Asset));

        Assert.Equal(AssetReference.Pinned("mnist-model", "3"), reference);
        Assert.False(reference.IsLatest);
        Assert.Equal("azureml:mnist-model:3", reference.Text);
    }

    [Fact]
    public void AssetAtLatest_FollowsTheNewestVersion()
    {
        var reference = Assert.IsType<AssetReference>(Parse("azureml:mnist-model@latest", ReferenceForms.Asset));

        Assert.True(reference.IsLatest);
        Assert.Equal(("mnist-model", null, "latest"), (reference.Name, reference.Version, reference.Label));
        Assert.Equal("azureml:mnist-model@latest", reference.ToString());
    }

    [Fact]
    public void AssetWithAnotherLabel_IsRejected()
    {
        Assert.Equal(
            "'azureml:mnist@production': the only label is 'latest' (write 'azureml:mnist@latest' or pin a version with 'azureml:mnist:<version>')",
            Reject("azureml:mnist@production", ReferenceForms.Asset));
    }

    [Fact]
    public void AssetWithoutVersion_IsRejectedForAssets()
    {
        Assert.Equal(
            "'azureml:mnist' names no version; write 'azureml:mnist:<version>' or 'azureml:mnist@latest'",
            Reject("azureml:mnist", ReferenceForms.Asset | ReferenceForms.Registry));
    }

    [Fact]
    public void AssetWithEmptyVersion_IsRejected()
    {
        Assert.Equal("'azureml:mnist:' is not of the form 'azureml:<name>:<version>'", Reject("azureml:mnist:", ReferenceForms.Asset));
    }

    [Fact]
    public void AssetWithInvalidName_IsRejected()
    {
        Assert.Equal(
            "'-mnist' is not a valid name (letters, digits, '-', '_' and '.', starting with a letter or digit)",
            Reject("azureml:-mnist:1", ReferenceForms.Asset));
    }

    [Theory]
    [InlineData("azureml:batch-cluster")]
    [InlineData("batch-cluster")]
    public void NamedReference_AcceptsBothSpellings(string text)
    {
        Assert.Equal(new NamedReference("batch-cluster"), Parse(text, ReferenceForms.Named));
    }

    [Fact]
    public void VersionedAsset_IsRejectedWhereOnlyANameFits()
    {
        Assert.Equal(
            "'azureml:cluster:1': a versioned asset is not accepted here; expected 'azureml:<name>'",
            Reject("azureml:cluster:1", ReferenceForms.Named));
    }

    [Fact]
    public void DatastorePath_KeepsDatastoreAndPath()
    {
        var reference = Assert.IsType<DatastorePathReference>(Parse("azureml://datastores/workspaceblobstore/paths/heart/data.csv", ReferenceForms.Data));

        Assert.Equal(("workspaceblobstore", "heart/data.csv", null), (reference.Datastore, reference.Path, reference.Workspace));
        Assert.False(reference.IsFolder);
        Assert.Equal("azureml://datastores/workspaceblobstore/paths/heart/data.csv", reference.Text);
    }

    [Fact]
    public void DatastorePath_EndingInSlash_IsAFolder()
    {
        Assert.True(Assert.IsType<DatastorePathReference>(Parse("azureml://datastores/ds/paths/heart/", ReferenceForms.DatastorePath)).IsFolder);
    }

    [Theory]
    [InlineData("azureml://subscriptions/0000/resourcegroups/rg/workspaces/main-ws/datastores/ds/paths/heart/data.csv")]
    [InlineData("azureml://subscriptions/0000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/main-ws/datastores/ds/paths/heart/data.csv")]
    public void LongDatastorePath_KeepsTheWorkspaceAndDropsAzureScope(string text)
    {
        var reference = Assert.IsType<DatastorePathReference>(Parse(text, ReferenceForms.DatastorePath));

        Assert.Equal(new DatastorePathReference("ds", "heart/data.csv", "main-ws"), reference);
        Assert.Equal("azureml://subscriptions/local/resourcegroups/local/workspaces/main-ws/datastores/ds/paths/heart/data.csv", reference.Text);
        Assert.Equal(reference, Parse(reference.Text, ReferenceForms.DatastorePath));
    }

    [Fact]
    public void DatastorePath_IsRejectedWhereOnlyAssetsFit()
    {
        Assert.Equal(
            "'azureml://datastores/ds/paths/x': a datastore path is not accepted here; expected 'azureml:<name>:<version>' or 'azureml:<name>@latest'",
            Reject("azureml://datastores/ds/paths/x", ReferenceForms.Asset));
    }

    [Theory]
    [InlineData("azureml://registries/azureml/models/mnist/versions/2", "mnist", "2", null)]
    [InlineData("azureml://registries/azureml/environments/sklearn-1.5/labels/latest", "sklearn-1.5", null, "latest")]
    public void RegistryAsset_IsParsed(string text, string name, string? version, string? label)
    {
        var reference = Assert.IsType<RegistryReference>(Parse(text, ReferenceForms.Registry));

        Assert.Equal(("azureml", name, version, label), (reference.Registry, reference.Name, reference.Version, reference.Label));
        Assert.Equal(text, reference.Text);
    }

    [Fact]
    public void UnknownAzuremlUri_ListsTheKnownForms()
    {
        var error = Reject("azureml://jobs/x/outputs/y", ReferenceForms.Data);

        Assert.StartsWith("'azureml://jobs/x/outputs/y' is not a known azureml:// form; expected 'azureml://datastores/<datastore>/paths/<path>', ", error, StringComparison.Ordinal);
        Assert.Contains("'azureml://locations/<location>/workspaces/<workspace>/<data|models|environments|components>/<name>/versions/<version>'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("azureml://subscriptions/0000/resourcegroups/rg/workspaces/main-ws/data/heart/versions/3")]
    [InlineData("azureml://subscriptions/0000/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/main-ws/data/heart/versions/3")]
    public void LongDataAsset_KeepsWorkspaceCollectionAndVersion(string text)
    {
        var reference = Assert.IsType<AssetReference>(Parse(text, ReferenceForms.Data));

        Assert.Equal(("heart", "3", "main-ws", "data", (string?)null), (reference.Name, reference.Version, reference.Workspace, reference.Collection, reference.Location));
        Assert.False(reference.IsLatest);
        Assert.Equal("azureml://subscriptions/local/resourcegroups/local/workspaces/main-ws/data/heart/versions/3", reference.Text);
        Assert.Equal(reference, Parse(reference.Text, ReferenceForms.Data));
    }

    [Fact]
    public void LocationsAsset_KeepsWorkspaceAndLocation()
    {
        const string text = "azureml://locations/westeurope/workspaces/main-ws/models/mnist/versions/2";

        var reference = Assert.IsType<AssetReference>(Parse(text, ReferenceForms.Asset | ReferenceForms.Registry));

        Assert.Equal(("mnist", "2", "main-ws", "models", "westeurope"), (reference.Name, reference.Version, reference.Workspace, reference.Collection, reference.Location));
        Assert.Equal(text, reference.Text);
    }

    [Fact]
    public void LongAsset_IsRejectedWhereOnlyPathsFit()
    {
        Assert.Equal(
            "'azureml://locations/westeurope/workspaces/ws/data/heart/versions/1': a registered asset is not accepted here; expected 'azureml://datastores/<datastore>/paths/<path>'",
            Reject("azureml://locations/westeurope/workspaces/ws/data/heart/versions/1", ReferenceForms.DatastorePath));
    }

    [Fact]
    public void LongAssetWithInvalidName_IsRejected()
    {
        Assert.Equal(
            "'-heart' is not a valid name (letters, digits, '-', '_' and '.', starting with a letter or digit)",
            Reject("azureml://locations/westeurope/workspaces/ws/data/-heart/versions/1", ReferenceForms.Data));
    }

    [Theory]
    [InlineData("wasbs://scoring@sluicetests.blob.core.windows.net/heart/data.csv", "https://sluicetests.blob.core.windows.net/scoring/heart/data.csv")]
    [InlineData("wasb://scoring@sluicetests.blob.core.windows.net/heart/", "http://sluicetests.blob.core.windows.net/scoring/heart/")]
    public void WasbUrl_IsReadAsTheSameHttpUrl(string text, string expected)
    {
        var reference = Assert.IsType<WebReference>(Parse(text, ReferenceForms.Data));

        Assert.Equal(expected, reference.Text);
    }

    [Fact]
    public void MalformedWasbUrl_IsRejected()
    {
        Assert.Equal(
            "'wasbs://sluicetests.blob.core.windows.net/heart' is not of the form 'wasbs://<container>@<account>.blob.core.windows.net/<path>'",
            Reject("wasbs://sluicetests.blob.core.windows.net/heart", ReferenceForms.Data));
    }

    [Fact]
    public void UrlWithSasToken_IsRejectedWithoutRepeatingTheToken()
    {
        var error = Reject("https://sluicetests.blob.core.windows.net/scoring/heart.csv?sv=2024-01-01&sig=c2VjcmV0LXNpZ25hdHVyZQ%3D", ReferenceForms.Data);

        Assert.StartsWith("'https://sluicetests.blob.core.windows.net/scoring/heart.csv?…' carries a SAS token", error, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LXNpZ25hdHVyZQ", error, StringComparison.Ordinal);
        Assert.Contains("credentials.sas_token", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abfss://data@lake.dfs.core.windows.net/heart/")]
    [InlineData("adl://lake.azuredatalakestore.net/heart/")]
    public void DataLakePath_IsRejectedAsUnsupported(string text)
    {
        Assert.StartsWith($"'{text}' is in Azure Data Lake Storage, which Sluice does not read", Reject(text, ReferenceForms.Data), StringComparison.Ordinal);
    }

    [Fact]
    public void HttpsUrl_IsAWebReference()
    {
        var reference = Assert.IsType<WebReference>(Parse("https://example.blob.core.windows.net/data/heart.csv", ReferenceForms.Web));

        Assert.Equal("https://example.blob.core.windows.net/data/heart.csv", reference.Text);
    }

    [Fact]
    public void Url_IsRejectedWhereNoUrlFits()
    {
        Assert.Equal(
            "'https://example.com/m': a URL is not accepted here; expected 'azureml:<name>:<version>' or 'azureml:<name>@latest'",
            Reject("https://example.com/m", ReferenceForms.Asset));
    }

    [Fact]
    public void UnknownScheme_IsRejected()
    {
        Assert.Equal(
            "'s3://bucket/key' uses a scheme Sluice does not know; expected 'azureml://datastores/<datastore>/paths/<path>', or an https:// URL",
            Reject("s3://bucket/key", ReferenceForms.DatastorePath | ReferenceForms.Web));
    }

    [Fact]
    public void RelativeLocalPath_ResolvesAgainstTheBaseDirectory()
    {
        var baseDirectory = Path.Combine(Path.GetTempPath(), "project");

        var reference = Assert.IsType<LocalPathReference>(Parse("./model/../model", ReferenceForms.LocalPath, baseDirectory));

        Assert.Equal("./model/../model", reference.WrittenPath);
        Assert.Equal(Path.Combine(baseDirectory, "model"), reference.FullPath);
        Assert.Equal("./model/../model", reference.Text);
    }

    [Fact]
    public void AbsoluteLocalPath_IgnoresTheBaseDirectory()
    {
        var absolute = Path.Combine(Path.GetTempPath(), "models", "mnist");

        var reference = Assert.IsType<LocalPathReference>(Parse(absolute, ReferenceForms.LocalPath, Path.Combine(Path.GetTempPath(), "project")));

        Assert.Equal(absolute, reference.FullPath);
    }

    [Fact]
    public void BareWord_IsALocalPathWhereLocalPathsFit()
    {
        Assert.IsType<LocalPathReference>(Parse("model", ReferenceForms.Named | ReferenceForms.LocalPath));
    }

    [Fact]
    public void Path_IsRejectedWhereNoPathFits()
    {
        Assert.Equal(
            "'./model' is not a reference; expected 'azureml:<name>:<version>' or 'azureml:<name>@latest'",
            Reject("./model", ReferenceForms.Asset));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_IsRejected(string text)
    {
        Assert.Equal("must not be empty", Reject(text, ReferenceForms.Data));
    }
}
