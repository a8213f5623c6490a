using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;
using Sluice.Core.Yaml;

namespace Sluice.Core.Tests.Specs;

/// <summary>Local paths are checked against the disk relative to the spec file's folder, as the CLI reads them.</summary>
public sealed class LocalPathTests : IDisposable
{
    private readonly TempFolder _project = new();

    public void Dispose() => _project.Dispose();

    private SpecReadResult Read(string yaml, DocumentKind? expected = null) =>
        Spec.Read(yaml, expected, SpecReadOptions.Cli, baseDirectory: _project.Path);

    [Fact]
    public void DataFolder_ThatExists_ResolvesAgainstTheSpecFolder()
    {
        var folder = _project.Folder("data/unlabeled");

        var data = Spec.Valid<DataAssetSpec>(Read("name: heart\ntype: uri_folder\npath: data/unlabeled\n"));

        var path = Assert.IsType<LocalPathReference>(data.Path);
        Assert.Equal(("data/unlabeled", folder), (path.WrittenPath, path.FullPath));
        Assert.True(path.IsDirectory);
    }

    [Fact]
    public void DataPath_ThatDoesNotExist_SaysWhereItLooked()
    {
        var result = Read("name: heart\ntype: uri_folder\npath: ./missing\n");

        var expectedPath = Path.Combine(_project.Path, "missing");
        Spec.SingleError(result, $"spec.yml:3:7: path: local path './missing' does not exist (looked for {expectedPath}); paths are relative to the spec file's folder");
    }

    [Fact]
    public void UriFolder_ThatIsAFile_AsksForAFolder()
    {
        _project.File("data/heart.csv", "age\n63\n");

        var result = Read("name: heart\ntype: uri_folder\npath: data/heart.csv\n");

        Spec.SingleError(result, "spec.yml:3:7: path: 'data/heart.csv' is a file; expected a folder");
    }

    [Fact]
    public void UriFile_ThatIsAFolder_AsksForAFile()
    {
        _project.Folder("data");

        var result = Read("name: heart\ntype: uri_file\npath: data\n");

        Spec.SingleError(result, "spec.yml:3:7: path: 'data' is a folder; expected a file");
    }

    [Fact]
    public void ModelPath_MayBeAFileOrAFolder()
    {
        _project.File("model.onnx");
        _project.Folder("model");

        Spec.Valid<ModelSpec>(Read("name: m\npath: model.onnx\n", DocumentKind.Model));
        Spec.Valid<ModelSpec>(Read("name: m\npath: model\n", DocumentKind.Model));
    }

    [Fact]
    public void CodeConfiguration_ThatIsAFile_AsksForAFolder()
    {
        _project.File("score.py");

        var result = Read("name: my-dpl\nmodel: azureml:m:1\ncode_configuration:\n  code: score.py\n  scoring_script: score.py\n");

        Spec.SingleError(result, "spec.yml:4:9: code_configuration.code: 'score.py' is a file; expected a folder");
    }

    [Fact]
    public void CondaFile_ThatIsAFolder_AsksForAFile()
    {
        _project.Folder("environment");

        var result = Read("name: env\nimage: python:3.12\nconda_file: environment\n");

        Spec.SingleError(result, "spec.yml:3:13: conda_file: 'environment' is a folder; expected a file");
    }

    [Fact]
    public void LegacyLocalPathMapping_IsCheckedAtItsInnerValue()
    {
        var result = Read("name: my-dpl\nmodel: azureml:m:1\ncode_configuration:\n  code:\n    local_path: ./code\n  scoring_script: score.py\n");

        var expectedPath = Path.Combine(_project.Path, "code");
        Spec.SingleError(result, $"spec.yml:5:17: code_configuration.code.local_path: local path './code' does not exist (looked for {expectedPath}); paths are relative to the spec file's folder");
    }

    [Fact]
    public void LegacyLocalPathMapping_ThatExists_IsALocalPath()
    {
        var folder = _project.Folder("code");

        var deployment = Spec.Valid<ModelBatchDeploymentSpec>(Read("name: my-dpl\nmodel: azureml:m:1\ncode_configuration:\n  code: {local_path: ./code}\n  scoring_script: score.py\n"));

        Assert.Equal(folder, Assert.IsType<LocalPathReference>(deployment.CodeConfiguration?.Code).FullPath);
    }

    [Fact]
    public void LegacyMappingWithoutLocalPath_SaysWhatItExpects()
    {
        var result = Read("name: my-dpl\nmodel: azureml:m:1\ncode_configuration:\n  code: {path: ./code}\n  scoring_script: score.py\n");

        Spec.Errors(
            result,
            "spec.yml:4:10: unknown key 'path' in 'code_configuration.code'; expected one of: local_path",
            "spec.yml:4:9: code_configuration.code: expected a path or reference, or the legacy form {local_path: <path>}");
    }

    [Fact]
    public void MissingPath_IsAcceptedWhenLocalPathsAreNotChecked()
    {
        var result = Spec.Read("name: heart\ntype: uri_folder\npath: ./missing\n", options: new SpecReadOptions { CheckLocalPaths = false }, baseDirectory: _project.Path);

        Assert.Equal("./missing", Spec.Valid<DataAssetSpec>(result).Path.Text);
    }

    [Fact]
    public void LocalPath_ReadByTheServer_AsksForAnUpload()
    {
        var result = Spec.Read("name: heart\ntype: uri_folder\npath: ./data\n", options: SpecReadOptions.Server);

        Spec.SingleError(result, "spec.yml:3:7: path: './data' is a local path, which the server cannot read; upload the content first (the sluice CLI does this for you) and refer to it as azureml://datastores/<datastore>/paths/<path>");
    }

    [Fact]
    public void ReadFile_ResolvesLocalPathsAgainstTheFilesFolder()
    {
        var model = _project.Folder("mnist/model");
        var file = _project.File("mnist/model.yml", "name: mnist\npath: model\n");

        var result = SpecReader.ReadFile(file, SpecReadOptions.Cli, DocumentKind.Model);

        Assert.Equal(model, Assert.IsType<LocalPathReference>(Spec.Valid<ModelSpec>(result).Path).FullPath);
    }

    [Fact]
    public void ReadFile_ReportsProblemsAgainstThePathAsGiven()
    {
        var file = _project.File("endpoint.yml", "name: my-endpoint\ndescrption: x\n");

        var result = SpecReader.ReadFile(file, SpecReadOptions.Cli, DocumentKind.BatchEndpoint);

        Assert.Equal([$"{file}:2:1: unknown key 'descrption'; did you mean 'description'?"], Spec.Messages(result));
    }

    [Fact]
    public void ReadFile_OfAMissingFile_SaysSo()
    {
        var path = Path.Combine(_project.Path, "nope.yml");

        var result = SpecReader.ReadFile(path, SpecReadOptions.Cli);

        Spec.SingleError(result, $"{path}: file not found");
    }

    [Fact]
    public void ReadFile_OfAFolder_AsksForAFile()
    {
        var result = SpecReader.ReadFile(_project.Path, SpecReadOptions.Cli);

        Spec.SingleError(result, $"{_project.Path}: is a folder; expected a YAML file");
    }
}
