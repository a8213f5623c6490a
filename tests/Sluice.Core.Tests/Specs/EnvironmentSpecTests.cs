using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class EnvironmentSpecTests
{
    [Fact]
    public void Environment_WithImageOnly_DefaultsToLinux()
    {
        var result = Spec.Read("name: sklearn-env\nimage: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest\n");

        var environment = Spec.Valid<EnvironmentSpec>(result);
        Assert.Equal(DocumentKind.Environment, result.Kind);
        Assert.Equal(OsType.Linux, environment.OsType);
        Assert.Equal("mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest", environment.Image);
        Assert.Null(environment.CondaFile);
        Assert.Null(environment.Build);
        Assert.Null(environment.Version);
    }

    [Fact]
    public void Environment_WithEveryField_ReadsThemAllAndWarnsAboutInferenceConfig()
    {
        var result = Spec.Read(
            """
            name: sklearn-env
            version: "2"
            description: Scikit-learn
            conda_file: azureml://datastores/ds/paths/envs/conda.yml
            build:
              path: azureml://datastores/ds/paths/envs/context/
              dockerfile_path: Dockerfile
            os_type: windows
            inference_config:
              liveness_route: {}
            """);

        var environment = Spec.Valid<EnvironmentSpec>(result);
        Assert.Equal(("2", "Scikit-learn", OsType.Windows), (environment.Version, environment.Description, environment.OsType));
        Assert.Equal("azureml://datastores/ds/paths/envs/conda.yml", environment.CondaFile?.Text);
        Assert.Equal("azureml://datastores/ds/paths/envs/context/", environment.Build?.Path.Text);
        Assert.Equal("Dockerfile", environment.Build?.DockerfilePath);
        Assert.Equal(["spec.yml:10:3: warning: inference_config: Sluice does not serve online requests; ignored"], Spec.Messages(result));
    }

    [Fact]
    public void Environment_WithNothingToRunIn_AsksForImageCondaFileOrBuild()
    {
        var result = Spec.Read("name: sklearn-env\ndescription: nothing\n", DocumentKind.Environment);

        Spec.SingleError(result, "spec.yml:1:1: environment: give at least one of image, conda_file, build or interpreter");
    }

    [Fact]
    public void Environment_WithBuildButNoPath_ReportsTheMissingBuildPath()
    {
        var result = Spec.Read("name: sklearn-env\nbuild:\n  dockerfile_path: Dockerfile\n");

        Spec.SingleError(result, "spec.yml:3:3: missing required key 'build.path'; the Docker build context folder");
    }

    [Fact]
    public void Environment_WithRegistryStyleCondaFile_RejectsTheForm()
    {
        var result = Spec.Read("name: sklearn-env\nconda_file: azureml:conda:1\n");

        Spec.SingleError(result, "spec.yml:2:13: conda_file: 'azureml:conda:1': a versioned asset is not accepted here; expected 'azureml://datastores/<datastore>/paths/<path>', or a local path relative to the spec file");
    }

    [Fact]
    public void Environment_WithLocalCondaFile_KeepsThePathAsWritten()
    {
        var environment = Spec.Valid<EnvironmentSpec>("name: sklearn-env\nconda_file: environment/conda.yaml\n");

        Assert.Equal("environment/conda.yaml", Assert.IsType<LocalPathReference>(environment.CondaFile).WrittenPath);
    }
}
