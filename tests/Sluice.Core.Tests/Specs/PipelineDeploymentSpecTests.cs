using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class PipelineDeploymentSpecTests
{
    [Fact]
    public void PipelineDeployment_WithComponentReference_FillsDefaultSettings()
    {
        var result = Spec.Read("name: hello-batch-dpl\ntype: pipeline\ncomponent: azureml:hello_batch@latest\n");

        var deployment = Spec.Valid<PipelineBatchDeploymentSpec>(result);
        Assert.Equal(DocumentKind.BatchDeployment, result.Kind);
        Assert.Equal(DeploymentType.Pipeline, deployment.Type);
        Assert.Equal("azureml:hello_batch@latest", deployment.Component?.Reference?.Text);
        Assert.Null(deployment.JobDefinition);
        Assert.False(deployment.Settings.ContinueOnStepFailure);
        Assert.False(deployment.Settings.ForceRerun);
        Assert.Null(deployment.Settings.DefaultCompute);
        Assert.Null(deployment.Settings.DefaultDatastore);
    }

    [Fact]
    public void PipelineDeployment_WithEveryField_ReadsThemAll()
    {
        var deployment = Spec.Valid<PipelineBatchDeploymentSpec>(
            """
            $schema: https://azuremlschemas.azureedge.net/latest/pipelineComponentBatchDeployment.schema.json
            name: hello-batch-dpl
            endpoint_name: hello-pipeline-batch
            description: Says hello
            type: pipeline
            component:
              type: pipeline
              jobs:
                main_job:
                  component: azureml:hello@latest
            settings:
              continue_on_step_failure: true
              default_compute: batch-cluster 
              default_datastore: workspaceblobstore
              force_rerun: true
            tags:
              sample: hello
            """);

        Assert.Equal(("hello-pipeline-batch", "Says hello"), (deployment.EndpointName, deployment.Description));
        var component = Assert.IsType<PipelineComponentSpec>(deployment.Component?.Inline);
        Assert.Equal("hello-batch-dpl-component", component.Name);
        Assert.Equal(["main_job"], component.Jobs.Keys);
        Assert.True(deployment.Settings.ContinueOnStepFailure);
        Assert.True(deployment.Settings.ForceRerun);
        Assert.Equal("batch-cluster", deployment.Settings.DefaultCompute);
        Assert.Equal("workspaceblobstore", deployment.Settings.DefaultDatastore);
        Assert.Equal("hello", deployment.Tags["sample"]);
    }

    [Fact]
    public void PipelineDeployment_FromJobDefinition_KeepsTheJobReference()
    {
        var deployment = Spec.Valid<PipelineBatchDeploymentSpec>("name: hello-from-job\ntype: pipeline\njob_definition: azureml:job_name_placeholder\n");

        Assert.Null(deployment.Component);
        Assert.Equal(new NamedReference("job_name_placeholder"), deployment.JobDefinition);
    }

    [Fact]
    public void Deployment_WithComponentAndNoType_IsAPipelineDeployment()
    {
        var deployment = Spec.Valid<PipelineBatchDeploymentSpec>("name: hello-batch-dpl\ncomponent: azureml:hello_batch:1\n", DocumentKind.BatchDeployment);

        Assert.Equal(DeploymentType.Pipeline, deployment.Type);
    }

    [Fact]
    public void PipelineDeployment_WithNeitherComponentNorJob_SaysWhatItNeeds()
    {
        var result = Spec.Read("name: hello-batch-dpl\ntype: pipeline\n");

        Spec.SingleError(result, "spec.yml:1:1: a pipeline deployment needs 'component' (a pipeline component) or 'job_definition' (a pipeline job)");
    }

    [Fact]
    public void PipelineDeployment_WithNeitherComponentNorJobAndABadName_ReportsBoth()
    {
        var result = Spec.Read("name: p\ntype: pipeline\nendpoint_name: my-endpoint\n");

        Spec.Errors(
            result,
            "spec.yml:1:7: name: 'p' is not a valid name: a deployment name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'",
            "spec.yml:1:1: a pipeline deployment needs 'component' (a pipeline component) or 'job_definition' (a pipeline job)");
    }

    [Fact]
    public void PipelineDeployment_WithBothComponentAndJob_AsksForOne()
    {
        var result = Spec.Read("name: hello-batch-dpl\ntype: pipeline\ncomponent: azureml:c:1\njob_definition: azureml:job\n");

        Spec.SingleError(result, "spec.yml:1:1: give either 'component' or 'job_definition', not both");
    }

    [Fact]
    public void PipelineDeployment_WithModelOnlyKeys_RejectsEachOfThem()
    {
        var result = Spec.Read(
            """
            name: hello-batch-dpl
            type: pipeline
            component: azureml:c:1
            model: azureml:m:1
            code_configuration:
              code: src
              scoring_script: score.py
            environment: azureml:env:1
            resources:
              instance_count: 2
            compute: azureml:cluster
            mini_batch_size: 3
            """);

        Spec.Errors(
            result,
            "spec.yml:4:1: model: applies to model deployments (type: model) only",
            "spec.yml:5:1: code_configuration: applies to model deployments (type: model) only",
            "spec.yml:8:1: environment: applies to model deployments (type: model) only",
            "spec.yml:9:1: resources: applies to model deployments (type: model) only",
            "spec.yml:11:1: compute: pipeline deployments choose compute with settings.default_compute (or per step)",
            "spec.yml:12:1: mini_batch_size: applies to model deployments (type: model) only");
    }

    [Fact]
    public void PipelineDeployment_WithModelSettings_ListsThePipelineSettings()
    {
        var result = Spec.Read("name: hello-batch-dpl\ntype: pipeline\ncomponent: azureml:c:1\nsettings:\n  mini_batch_size: 3\n");

        Spec.SingleError(result, "spec.yml:5:3: unknown key 'mini_batch_size' in 'settings'; expected one of: continue_on_step_failure, default_compute, default_datastore, force_rerun");
    }

    [Fact]
    public void PipelineDeployment_WithNonBooleanFlag_ReportsTheType()
    {
        var result = Spec.Read("name: hello-batch-dpl\ntype: pipeline\ncomponent: azureml:c:1\nsettings:\n  force_rerun: sometimes\n");

        Spec.SingleError(result, "spec.yml:5:16: settings.force_rerun: expected true or false, got 'sometimes'");
    }
}
