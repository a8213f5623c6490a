using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class DataAssetSpecTests
{
    [Fact]
    public void UriFile_WithNameTypeAndPath_IsUnversioned()
    {
        var result = Spec.Read(
            """
            name: heart-data
            type: uri_file
            path: azureml://datastores/workspaceblobstore/paths/heart/data.csv
            """);

        var data = Spec.Valid<DataAssetSpec>(result);
        Assert.Equal(DocumentKind.Data, result.Kind);
        Assert.Equal(DataAssetType.UriFile, data.Type);
        Assert.Null(data.Version);
        var path = Assert.IsType<DatastorePathReference>(data.Path);
        Assert.Equal(("workspaceblobstore", "heart/data.csv"), (path.Datastore, path.Path));
        Assert.False(path.IsFolder);
    }

    [Fact]
    public void UriFolder_WithEveryField_ReadsThemAll()
    {
        var data = Spec.Valid<DataAssetSpec>(
            """
            name: heart-data
            version: "2"
            description: Unlabeled heart data
            type: uri_folder
            path: https://example.blob.core.windows.net/data/heart/
            tags:
              source: uci
            properties:
              rows: 303
            """);

        Assert.Equal("2", data.Version);
        Assert.Equal("Unlabeled heart data", data.Description);
        Assert.Equal(DataAssetType.UriFolder, data.Type);
        Assert.Equal(new Uri("https://example.blob.core.windows.net/data/heart/"), Assert.IsType<WebReference>(data.Path).Uri);
        Assert.Equal("uci", data.Tags["source"]);
    }

    [Fact]
    public void Data_WithoutType_DefaultsToUriFolder()
    {
        var data = Spec.Valid<DataAssetSpec>("name: heart-data\npath: azureml://datastores/ds/paths/heart/\n", DocumentKind.Data);

        Assert.Equal(DataAssetType.UriFolder, data.Type);
        Assert.True(Assert.IsType<DatastorePathReference>(data.Path).IsFolder);
    }

    [Fact]
    public void Data_WithoutPath_ReportsTheMissingKey()
    {
        var result = Spec.Read("name: heart-data\ntype: uri_folder\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'path'; the file or folder the asset points at");
    }

    [Fact]
    public void Data_WithoutName_ReportsTheMissingKey()
    {
        var result = Spec.Read("type: uri_file\npath: azureml://datastores/ds/paths/a.csv\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'name'");
    }

    [Fact]
    public void Data_OfTypeMltable_SaysItIsNotSupported()
    {
        var result = Spec.Read("name: heart-data\ntype: mltable\npath: azureml://datastores/ds/paths/x/\n");

        Spec.SingleError(result, "spec.yml:2:7: type: mltable data assets are not supported; use uri_file or uri_folder (Sluice reads CSV, Parquet and JSON Lines files directly)");
    }

    [Fact]
    public void Data_WithInvalidNameAndVersion_ReportsBoth()
    {
        var result = Spec.Read("name: -heart\nversion: \"-1\"\ntype: uri_file\npath: azureml://datastores/ds/paths/a.csv\n");

        Spec.Errors(
            result,
            "spec.yml:1:7: name: '-heart' is not a valid name: an asset name has 1 to 255 characters: letters, digits, '-', '_' and '.', starting with a letter or digit",
            "spec.yml:2:10: version: '-1' is not a valid name: a version has 1 to 30 characters: letters, digits, '-', '_' and '.', starting with a letter or digit");
    }

    [Fact]
    public void Data_WithMistypedType_SuggestsTheClosestValue()
    {
        var result = Spec.Read("name: heart-data\ntype: uri_fiel\npath: azureml://datastores/ds/paths/a.csv\n", DocumentKind.Data);

        Spec.SingleError(result, "spec.yml:2:7: type: 'uri_fiel' is not allowed; expected one of: uri_file, uri_folder, mltable (did you mean 'uri_file'?)");
    }
}
