using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

/// <summary><c>--set key.path=value</c> overrides and implied keys, applied before validation.</summary>
public sealed class OverrideTests
{
    private const string Deployment = "name: my-dpl\nmodel: azureml:m:1\n";

    [Fact]
    public void Set_OfANestedKey_CreatesTheMappingsOnTheWay()
    {
        var deployment = Spec.Valid<ModelBatchDeploymentSpec>(Deployment, overrides: ["settings.retry_settings.max_retries=5"]);

        Assert.Equal(5, deployment.Settings.RetrySettings.MaxRetries);
        Assert.Equal(30, deployment.Settings.RetrySettings.Timeout);
        Assert.Equal(10, deployment.Settings.MiniBatchSize.Value);
    }

    [Fact]
    public void Set_OfAWrittenKey_ReplacesItsValue()
    {
        var deployment = Spec.Valid<ModelBatchDeploymentSpec>("name: my-dpl\nmodel: azureml:m:1\nsettings:\n  mini_batch_size: 2\n  logging_level: info\n", overrides: ["settings.mini_batch_size=20"]);

        Assert.Equal(20, deployment.Settings.MiniBatchSize.Value);
        Assert.Equal(LoggingLevel.Info, deployment.Settings.LoggingLevel);
    }

    [Fact]
    public void Set_InfersTheTypeOfEachValue()
    {
        var deployment = Spec.Valid<PipelineBatchDeploymentSpec>(
            "name: my-dpl\ntype: pipeline\ncomponent: azureml:c:1\n",
            overrides: ["settings.continue_on_step_failure=true", "settings.default_compute=cpu-cluster", "tags.retries=3"]);

        Assert.True(deployment.Settings.ContinueOnStepFailure);
        Assert.Equal("cpu-cluster", deployment.Settings.DefaultCompute);
        Assert.Equal("3", deployment.Tags["retries"]);
    }

    [Fact]
    public void Set_WithFlowMapping_SetsEveryEntry()
    {
        var deployment = Spec.Valid<ModelBatchDeploymentSpec>(Deployment, overrides: ["settings.environment_variables={MODE: fast, THREADS: 4}"]);

        Assert.Equal("fast", deployment.Settings.EnvironmentVariables["MODE"]);
        Assert.Equal("4", deployment.Settings.EnvironmentVariables["THREADS"]);
    }

    [Fact]
    public void Set_ReplacesAPlaceholderInAzureSample()
    {
        var deployment = Spec.Valid<ModelBatchDeploymentSpec>(
            "name: default\nmodel: azureml:text-embedding-ada-002@latest\nsettings:\n  environment_variables:\n    OPENAI_API_BASE: $OPENAI_API_BASE\n",
            DocumentKind.BatchDeployment,
            ["settings.environment_variables.OPENAI_API_BASE=https://example.openai.azure.com/"]);

        Assert.Equal("https://example.openai.azure.com/", deployment.Settings.EnvironmentVariables["OPENAI_API_BASE"]);
    }

    [Fact]
    public void Set_WithInvalidValue_IsReportedAtTheSetArgument()
    {
        var result = Spec.Read(Deployment, overrides: ["settings.mini_batch_size=abc"]);

        Spec.SingleError(result, "--set settings.mini_batch_size=abc: settings.mini_batch_size: 'abc' is not a mini-batch size; write a number of files (10), a size (\"10MB\", \"512KB\") or a number of rows (\"5000 rows\")");
    }

    [Fact]
    public void Set_WithInvalidValueInsideAFlowMapping_IsReportedAtTheSetArgument()
    {
        var result = Spec.Read(Deployment, overrides: ["settings.retry_settings={max_retries: abc, timeout: 5}"]);

        Spec.SingleError(result, "--set settings.retry_settings={max_retries: abc, timeout: 5}: settings.retry_settings.max_retries: expected a whole number, got 'abc'");
    }

    [Fact]
    public void Set_OfAMistypedKey_IsReportedAtTheSetArgumentWithSuggestion()
    {
        var result = Spec.Read(Deployment, overrides: ["settingz.mini_batch_size=3"]);

        Spec.SingleError(result, "--set settingz.mini_batch_size=3: unknown key 'settingz'; did you mean 'settings'?");
    }

    [Fact]
    public void Set_OfAMistypedLeafKey_IsReportedAtTheSetArgument()
    {
        var result = Spec.Read(Deployment, overrides: ["settings.mini_bacth_size=3"]);

        Spec.SingleError(result, "--set settings.mini_bacth_size=3: unknown key 'mini_bacth_size' in 'settings'; did you mean 'mini_batch_size'?");
    }

    [Fact]
    public void Set_WithoutEqualsOrWithEmptyKeyPart_ExplainsTheForm()
    {
        var result = Spec.Read(Deployment, overrides: ["nokey", "settings..mini_batch_size=1", "=3"]);

        Spec.Errors(
            result,
            "--set nokey: expected key=value, e.g. --set settings.mini_batch_size=20",
            "--set settings..mini_batch_size=1: 'settings..mini_batch_size' is not a valid key path; write keys separated by dots",
            "--set =3: expected key=value, e.g. --set settings.mini_batch_size=20");
    }

    [Fact]
    public void Set_WithACustomOrigin_ReportsThatOrigin()
    {
        var result = SpecReader.Read(Deployment, Spec.Source, null, Spec.WithoutLocalPaths, null, ["settings.mini_batch_size=0"], overrideOrigin: "query");

        Spec.SingleError(result, "query settings.mini_batch_size=0: settings.mini_batch_size: 0 is out of range; expected a value from 1 to 1000000");
    }

    [Fact]
    public void Set_CanMakeTheDocumentValid()
    {
        var result = Spec.Read("name: my-dpl\nmodel: azureml:m:1\nsettings:\n  mini_batch_size: 0\n", overrides: ["settings.mini_batch_size=4"]);

        Assert.Equal(4, Spec.Valid<ModelBatchDeploymentSpec>(result).Settings.MiniBatchSize.Value);
    }

    [Fact]
    public void Implied_FillsMissingKeys()
    {
        var result = Spec.Read("model: azureml:m:1\n", DocumentKind.BatchDeployment, implied: new Dictionary<string, string> { ["name"] = "from-url", ["endpoint_name"] = "my-endpoint" });

        var deployment = Spec.Valid<ModelBatchDeploymentSpec>(result);
        Assert.Equal(("from-url", "my-endpoint"), (deployment.Name, deployment.EndpointName));
    }

    [Fact]
    public void Implied_NeverOverridesAWrittenKey()
    {
        var result = Spec.Read("name: written\nmodel: azureml:m:1\n", implied: new Dictionary<string, string> { ["name"] = "from-url" });

        Assert.Equal("written", Spec.Valid<ModelBatchDeploymentSpec>(result).Name);
    }

    [Fact]
    public void Implied_InvalidValue_IsReportedAsComingFromTheRequest()
    {
        var result = Spec.Read("model: azureml:m:1\n", DocumentKind.BatchDeployment, implied: new Dictionary<string, string> { ["name"] = "x" });

        Spec.SingleError(result, "name from the request: name: 'x' is not a valid name: a deployment name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'");
    }

    [Fact]
    public void Implied_KeyTheKindDoesNotHave_IsReportedAsComingFromTheRequest()
    {
        var result = Spec.Read("name: my-endpoint\n", DocumentKind.BatchEndpoint, implied: new Dictionary<string, string> { ["version"] = "1" });

        Spec.SingleError(result, "version from the request: unknown key 'version'; expected one of: auth_mode, defaults, deployments, description, egress_public_network_access, identity, location, name, public_network_access, tags, traffic, type");
    }
}
