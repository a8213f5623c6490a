using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class HelperDocumentTests
{
    [Fact]
    public void CondaFile_WithDependenciesOnly_HasNoChannelsOrPip()
    {
        var result = Spec.Read("dependencies:\n  - python=3.10\n");

        var conda = Spec.Valid<CondaFileSpec>(result);
        Assert.Equal(DocumentKind.CondaFile, result.Kind);
        Assert.Null(conda.Name);
        Assert.Empty(conda.Channels);
        Assert.Equal(["python=3.10"], conda.Dependencies);
        Assert.Empty(conda.PipDependencies);
    }

    [Fact]
    public void CondaFile_WithChannelsAndPip_SeparatesPipPackages()
    {
        var conda = Spec.Valid<CondaFileSpec>(
            """
            name: mnist-env
            channels:
              - conda-forge
            dependencies:
              - python=3.8.5
              - pip<22.0
              - pip:
                - torch==1.13.0
                - azureml-dataset-runtime[fuse]
            prefix: /opt/env
            """);

        Assert.Equal("mnist-env", conda.Name);
        Assert.Equal(["conda-forge"], conda.Channels);
        Assert.Equal(["python=3.8.5", "pip<22.0"], conda.Dependencies);
        Assert.Equal(["torch==1.13.0", "azureml-dataset-runtime[fuse]"], conda.PipDependencies);
    }

    [Fact]
    public void CondaFile_WithNestedListDependency_ReportsIt()
    {
        var result = Spec.Read("channels: [conda-forge]\ndependencies:\n  - python=3.10\n  - [numpy]\n");

        Spec.SingleError(result, "spec.yml:4:5: dependencies: expected a package spec or {pip: [...]}, got a list");
    }

    [Fact]
    public void CondaFile_WithMistypedPipKey_SuggestsPip()
    {
        var result = Spec.Read("dependencies:\n  - pop:\n    - numpy\n");

        Spec.SingleError(result, "spec.yml:2:5: unknown key 'pop' in 'dependencies[]'; did you mean 'pip'?");
    }

    [Fact]
    public void JobInputs_WithDataLiteralAndOutput_ReadsEachInput()
    {
        var result = Spec.Read(
            """
            inputs:
              data:
                type: uri_file
                path: azureml://datastores/ds/paths/x.csv
              count:
                type: integer
                default: 5
              site:
                path: https://example.com/data/
            outputs:
              scores:
                type: uri_folder
                path: azureml://datastores/ds/paths/out/
                mode: upload
            """);

        var io = Spec.Valid<JobIoSpec>(result);
        Assert.Equal(DocumentKind.JobInputs, result.Kind);
        Assert.Equal(["count", "data", "site"], io.Inputs.Keys);
        Assert.Equal(IoType.UriFile, io.Inputs["data"].Type);
        Assert.IsType<DatastorePathReference>(io.Inputs["data"].Path);
        Assert.Equal((IoType.Integer, "5", null), (io.Inputs["count"].Type, io.Inputs["count"].Value, io.Inputs["count"].Path));
        Assert.Equal(IoType.UriFolder, io.Inputs["site"].Type);
        Assert.IsType<WebReference>(io.Inputs["site"].Path);
        Assert.Equal(("upload", "azureml://datastores/ds/paths/out/"), (io.Outputs["scores"].Mode, io.Outputs["scores"].Path?.Text));
    }

    [Fact]
    public void JobInputs_WithOnlyOutputs_HasNoInputs()
    {
        var io = Spec.Valid<JobIoSpec>("outputs:\n  scores:\n    type: uri_folder\n");

        Assert.Empty(io.Inputs);
        Assert.Null(io.Outputs["scores"].Path);
    }

    [Fact]
    public void JobInputs_MixingValuesAndPaths_ReportsEveryMismatch()
    {
        var result = Spec.Read(
            """
            inputs:
              mode:
                type: string
                path: x
              data:
                type: uri_folder
                default: x
              other:
                type: uri_folder
            """);

        Spec.Errors(
            result,
            "spec.yml:4:5: inputs.mode.path: a string input takes a value (default:), not a path",
            "spec.yml:6:5: missing required key 'inputs.data.path'; the data the input points at",
            "spec.yml:7:5: inputs.data.default: data inputs take a path, not a default",
            "spec.yml:9:5: missing required key 'inputs.other.path'; the data the input points at");
    }

    [Fact]
    public void JobOutputs_WithNonDatastorePath_AcceptsOnlyDatastorePaths()
    {
        var result = Spec.Read("outputs:\n  scores:\n    path: https://example.com/out/\n");

        Spec.SingleError(result, "spec.yml:3:11: outputs.scores.path: 'https://example.com/out/': a URL is not accepted here; expected 'azureml://datastores/<datastore>/paths/<path>'");
    }
}
