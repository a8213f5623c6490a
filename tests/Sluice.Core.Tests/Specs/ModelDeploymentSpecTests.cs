using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class ModelDeploymentSpecTests
{
    [Fact]
    public void Deployment_WithNameAndModel_FillsAzureBatchDefaults()
    {
        var result = Spec.Read("name: mnist-torch-dpl\nmodel: azureml:mnist@latest\n");

        var deployment = Spec.Valid<ModelBatchDeploymentSpec>(result);
        Assert.Equal(DocumentKind.BatchDeployment, result.Kind);
        Assert.Equal(DeploymentType.Model, deployment.Type);
        Assert.Null(deployment.EndpointName);
        Assert.Equal("azureml:mnist@latest", deployment.Model.Reference?.Text);
        Assert.Null(deployment.CodeConfiguration);
        Assert.Null(deployment.Environment);
        Assert.Null(deployment.Compute);
        Assert.Equal(1, deployment.Resources.InstanceCount);
        var settings = deployment.Settings;
        Assert.Equal(MiniBatchSize.Default, settings.MiniBatchSize);
        Assert.Equal(1, settings.MaxConcurrencyPerInstance);
        Assert.Equal(-1, settings.ErrorThreshold);
        Assert.Equal(3, settings.RetrySettings.MaxRetries);
        Assert.Equal(30, settings.RetrySettings.Timeout);
        Assert.Equal(LoggingLevel.Info, settings.LoggingLevel);
        Assert.Equal(OutputAction.AppendRow, settings.OutputAction);
        Assert.Equal("predictions.csv", settings.OutputFileName);
        Assert.Empty(settings.EnvironmentVariables);
    }

    [Fact]
    public void Deployment_WithEveryField_ReadsThemAll()
    {
        var result = Spec.Read(
            """
            $schema: https://azuremlschemas.azureedge.net/latest/modelBatchDeployment.schema.json
            name: mnist-torch-dpl
            endpoint_name: mnist-batch
            description: Torch MNIST
            type: model
            model:
              name: mnist-classifier-torch
              path: azureml://datastores/ds/paths/models/mnist/
            code_configuration:
              code: azureml://datastores/ds/paths/code/
              scoring_script: batch_driver.py
            environment:
              name: batch-torch-py38
              image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest
              conda_file: azureml://datastores/ds/paths/envs/conda.yaml
            compute: azureml:batch-cluster
            resources:
              instance_count: 2
              properties:
                gpu: "true"
            settings:
              max_concurrency_per_instance: 4
              mini_batch_size: 20
              output_action: append_row
              output_file_name: scores.csv
              retry_settings:
                max_retries: 5
                timeout: 300
              error_threshold: 10
              logging_level: debug
              environment_variables:
                MODE: fast
                THREADS: 4
            tags:
              framework: torch
            """);

        var deployment = Spec.Valid<ModelBatchDeploymentSpec>(result);
        Assert.Empty(result.Diagnostics);
        Assert.Equal(("mnist-batch", "Torch MNIST"), (deployment.EndpointName, deployment.Description));
        var model = Assert.IsType<ModelSpec>(deployment.Model.Inline);
        Assert.Equal("mnist-classifier-torch", model.Name);
        Assert.Equal("azureml://datastores/ds/paths/models/mnist/", model.Path.Text);
        Assert.Equal("batch_driver.py", deployment.CodeConfiguration?.ScoringScript);
        Assert.Equal("azureml://datastores/ds/paths/code/", deployment.CodeConfiguration?.Code.Text);
        Assert.Equal("batch-torch-py38", deployment.Environment?.Inline?.Name);
        Assert.Equal("azureml:batch-cluster", Assert.IsType<NamedReference>(deployment.Compute).Text);
        Assert.Equal(2, deployment.Resources.InstanceCount);
        Assert.Equal("true", deployment.Resources.Properties["gpu"]);
        var settings = deployment.Settings;
        Assert.Equal((20, 4, 10), (settings.MiniBatchSize.Value, settings.MaxConcurrencyPerInstance, settings.ErrorThreshold));
        Assert.Equal((5, 300), (settings.RetrySettings.MaxRetries, settings.RetrySettings.Timeout));
        Assert.Equal(LoggingLevel.Debug, settings.LoggingLevel);
        Assert.Equal("scores.csv", settings.OutputFileName);
        Assert.Equal(["MODE", "THREADS"], settings.EnvironmentVariables.Keys);
        Assert.Equal("4", settings.EnvironmentVariables["THREADS"]);
        Assert.Equal("torch", deployment.Tags["framework"]);
    }

    [Fact]
    public void Deployment_WithInlineModelWithoutName_NamesItAfterTheDeployment()
    {
        var deployment = Spec.Valid<ModelBatchDeploymentSpec>("name: mnist-dpl\nmodel:\n  path: azureml://datastores/ds/paths/m/\n", DocumentKind.BatchDeployment);

        Assert.Equal("mnist-dpl-model", deployment.Model.Inline?.Name);
    }

    [Fact]
    public void Deployment_WithBareComputeName_ReadsItAsANamedReference()
    {
        var deployment = Spec.Valid<ModelBatchDeploymentSpec>("name: mnist-dpl\nmodel: azureml:mnist:1\ncompute: batch-cluster\n");

        Assert.Equal(new NamedReference("batch-cluster"), deployment.Compute);
    }

    [Fact]
    public void Deployment_WithLegacyFlatSettings_ReadsThemAsSettings()
    {
        var deployment = Spec.Valid<ModelBatchDeploymentSpec>(
            """
            name: mnist-dpl
            endpoint_name: mnist-batch
            model: azureml:mnist:1
            mini_batch_size: 5
            max_concurrency_per_instance: 2
            retry_settings:
              max_retries: 1
            output_action: summary_only
            """);

        Assert.Equal((5, 2, 1), (deployment.Settings.MiniBatchSize.Value, deployment.Settings.MaxConcurrencyPerInstance, deployment.Settings.RetrySettings.MaxRetries));
        Assert.Equal(30, deployment.Settings.RetrySettings.Timeout);
        Assert.Equal(OutputAction.SummaryOnly, deployment.Settings.OutputAction);
    }

    [Fact]
    public void Deployment_WithFlatSettingsBesideSettings_AsksToMoveThem()
    {
        var result = Spec.Read(
            """
            name: mnist-dpl
            model: azureml:mnist:1
            mini_batch_size: 5
            logging_level: debug
            settings:
              max_concurrency_per_instance: 2
            """);

        Spec.Errors(
            result,
            "spec.yml:3:1: 'mini_batch_size' is a batch setting written at the top level (Azure ML's legacy form) while this file also has 'settings:'; move it under 'settings:'",
            "spec.yml:4:1: 'logging_level' is a batch setting written at the top level (Azure ML's legacy form) while this file also has 'settings:'; move it under 'settings:'");
    }

    [Fact]
    public void Deployment_WithMistypedSetting_SuggestsTheClosestKey()
    {
        var result = Spec.Read("name: mnist-dpl\nmodel: azureml:mnist:1\nsettings:\n  mini_bacth_size: 5\n");

        Spec.SingleError(result, "spec.yml:4:3: unknown key 'mini_bacth_size' in 'settings'; did you mean 'mini_batch_size'?");
    }

    [Fact]
    public void Deployment_WithoutModel_SaysWhatAModelLooksLike()
    {
        var result = Spec.Read("name: mnist-dpl\nendpoint_name: mnist-batch\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'model'; a model deployment scores with a model: 'azureml:<name>:<version>', 'azureml:<name>@latest' or {path: ./model}");
    }

    [Fact]
    public void Deployment_WithoutName_ReportsTheMissingKey()
    {
        var result = Spec.Read("endpoint_name: mnist-batch\nmodel: azureml:mnist:1\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'name'");
    }

    [Fact]
    public void Deployment_WithWrongTypes_ReportsEachWithItsPosition()
    {
        var result = Spec.Read(
            """
            name: mnist-dpl
            model: azureml:mnist:1
            resources: 2
            settings:
              mini_batch_size: ten
              retry_settings: [3, 30]
              environment_variables: MODE=fast
            """);

        Spec.Errors(
            result,
            "spec.yml:3:12: resources: expected a mapping, got '2'",
            "spec.yml:5:20: settings.mini_batch_size: 'ten' is not a mini-batch size; write a number of files (10), a size (\"10MB\", \"512KB\") or a number of rows (\"5000 rows\")",
            "spec.yml:6:19: settings.retry_settings: expected a mapping, got a list",
            "spec.yml:7:26: settings.environment_variables: expected a mapping of names to values, got 'MODE=fast'");
    }

    [Fact]
    public void Deployment_WithOutOfRangeNumbers_ReportsEachBound()
    {
        var result = Spec.Read(
            """
            name: mnist-dpl
            model: azureml:mnist:1
            resources:
              instance_count: 0
            settings:
              mini_batch_size: 0
              max_concurrency_per_instance: 2000
              error_threshold: -5
              retry_settings:
                max_retries: 101
                timeout: 0
            """);

        Spec.Errors(
            result,
            "spec.yml:4:19: resources.instance_count: 0 is out of range; expected a value from 1 to 1000",
            "spec.yml:6:20: settings.mini_batch_size: 0 is out of range; expected a value from 1 to 1000000",
            "spec.yml:7:33: settings.max_concurrency_per_instance: 2000 is out of range; expected a value from 1 to 1024",
            "spec.yml:8:20: settings.error_threshold: -5 is too small; the minimum is -1",
            "spec.yml:10:18: settings.retry_settings.max_retries: 101 is out of range; expected a value from 0 to 100",
            "spec.yml:11:14: settings.retry_settings.timeout: 0 is out of range; expected a value from 1 to 604800");
    }

    [Fact]
    public void Deployment_WithInvalidEnumValues_SuggestsOnlyWhenClose()
    {
        var result = Spec.Read(
            """
            name: mnist-dpl
            model: azureml:mnist:1
            settings:
              output_action: append_rows
              logging_level: verbose
            """);

        Spec.Errors(
            result,
            "spec.yml:4:18: settings.output_action: 'append_rows' is not allowed; expected one of: append_row, summary_only (did you mean 'append_row'?)",
            "spec.yml:5:18: settings.logging_level: 'verbose' is not allowed; expected one of: debug, info, warning, error");
    }

    [Fact]
    public void Deployment_WithPathAsOutputFileName_AsksForAPlainName()
    {
        var result = Spec.Read("name: mnist-dpl\nmodel: azureml:mnist:1\nsettings:\n  output_file_name: out/predictions.csv\n");

        Spec.SingleError(result, "spec.yml:4:21: settings.output_file_name: 'out/predictions.csv' must be a plain file name such as predictions.csv; the output folder is chosen with the job's output path");
    }

    [Fact]
    public void Deployment_WithOutputFileNameAndSummaryOnly_WarnsThatTheNameIsUnused()
    {
        var result = Spec.Read("name: mnist-dpl\nmodel: azureml:mnist:1\nsettings:\n  output_action: summary_only\n  output_file_name: p.csv\n");

        Spec.Valid<ModelBatchDeploymentSpec>(result);
        Assert.Equal(["spec.yml:5:21: warning: settings.output_file_name: is ignored with output_action: summary_only, which writes no output file"], Spec.Messages(result));
    }

    [Fact]
    public void Deployment_WithDefaultOutputFileNameAndSummaryOnly_DoesNotWarn()
    {
        var result = Spec.Read("name: mnist-dpl\nmodel: azureml:mnist:1\nsettings:\n  output_action: summary_only\n  output_file_name: predictions.csv\n");

        Spec.Valid<ModelBatchDeploymentSpec>(result);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Deployment_WithInvalidEnvironmentVariableName_ReportsIt()
    {
        var result = Spec.Read("name: mnist-dpl\nmodel: azureml:mnist:1\nsettings:\n  environment_variables:\n    A=B: x\n");

        Spec.SingleError(result, "spec.yml:5:5: settings.environment_variables: 'A=B' is not a valid environment variable name");
    }

    [Fact]
    public void Deployment_WithPipelineKeys_SaysTheyBelongToPipelineDeployments()
    {
        var result = Spec.Read("name: mnist-dpl\ntype: model\nmodel: azureml:mnist:1\ncomponent: azureml:c:1\njob_definition: azureml:job\n");

        Spec.Errors(
            result,
            "spec.yml:4:1: component: applies to pipeline deployments (type: pipeline) only",
            "spec.yml:5:1: job_definition: applies to pipeline deployments (type: pipeline) only");
    }

    [Fact]
    public void Deployment_WithNetworkAccessKey_ExplainsEndpointsTakeTheirModeFromTheWorkspace()
    {
        var result = Spec.Read("name: mnist-dpl\nmodel: azureml:mnist:1\npublic_network_access: disabled\n");

        Spec.SingleError(result, "spec.yml:3:1: public_network_access: batch endpoints take their network mode from their workspace when they are created and keep it (as in Azure ML); set public_network_access on the workspace instead, then create the endpoint");
    }

    [Fact]
    public void Deployment_WithInvalidNames_ReportsDeploymentAndEndpointRules()
    {
        var result = Spec.Read("name: 1dpl\nendpoint_name: ep\nmodel: azureml:mnist:1\n");

        Spec.Errors(
            result,
            "spec.yml:1:7: name: '1dpl' is not a valid name: a deployment name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'",
            "spec.yml:2:16: endpoint_name: 'ep' is not a valid name: an endpoint name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'");
    }

    [Fact]
    public void Deployment_WithCodeConfigurationButNoScript_ReportsTheMissingScript()
    {
        var result = Spec.Read("name: mnist-dpl\nmodel: azureml:mnist:1\ncode_configuration:\n  code: azureml://datastores/ds/paths/code/\n");

        Spec.SingleError(result, "spec.yml:4:3: missing required key 'code_configuration.scoring_script'; the scoring script, or for .NET scorers the type that implements the scorer interface");
    }

    [Fact]
    public void Deployment_WithManyProblems_ReportsEveryOneInOnePass()
    {
        var result = Spec.Read(
            """
            name: Bad_Name
            endpoint_name: mnist-batch
            model: azureml:mnist
            compute: azureml:cluster:1
            code_configuration:
              scoring_script: driver.py
            settings:
              mini_batch_size: -3
              logging_level: loud
              retry_settings:
                max_retry: 2
            """);

        Spec.Errors(
            result,
            "spec.yml:1:7: name: 'Bad_Name' is not a valid name: a deployment name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'",
            "spec.yml:3:8: model: 'azureml:mnist' names no version; write 'azureml:mnist:<version>' or 'azureml:mnist@latest'",
            "spec.yml:4:10: compute: 'azureml:cluster:1': a versioned asset is not accepted here; expected 'azureml:<name>'",
            "spec.yml:6:3: missing required key 'code_configuration.code'; the folder that holds the scoring code",
            "spec.yml:8:20: settings.mini_batch_size: -3 is out of range; expected a value from 1 to 1000000",
            "spec.yml:9:18: settings.logging_level: 'loud' is not allowed; expected one of: debug, info, warning, error",
            "spec.yml:11:5: unknown key 'max_retry' in 'settings.retry_settings'; did you mean 'max_retries'?");
    }
}
