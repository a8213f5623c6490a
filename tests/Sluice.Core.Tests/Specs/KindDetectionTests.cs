using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

/// <summary>What a document is, told from its content; $schema only breaks ties.</summary>
public sealed class KindDetectionTests
{
    [Fact]
    public void Deployment_WithEndpointSchema_IsStillReadAsADeployment()
    {
        var result = Spec.Read(
            """
            $schema: https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json
            name: nonmlflowdp
            endpoint_name: mybatchedp
            model: azureml:mnist:1
            """);

        Assert.Equal(DocumentKind.BatchDeployment, result.Kind);
        Assert.Equal("mybatchedp", Spec.Valid<ModelBatchDeploymentSpec>(result).EndpointName);
    }

    [Fact]
    public void PipelineWithJobs_IsAComponent()
    {
        var result = Spec.Read("name: hello_batch\ntype: pipeline\njobs:\n  main:\n    component: azureml:hello:1\n");

        Assert.Equal(DocumentKind.Component, result.Kind);
        Assert.IsType<PipelineComponentSpec>(result.Spec);
    }

    [Fact]
    public void PipelineWithoutJobs_IsADeployment()
    {
        var result = Spec.Read("name: hello-batch-dpl\ntype: pipeline\ncomponent: azureml:hello_batch:1\n");

        Assert.Equal(DocumentKind.BatchDeployment, result.Kind);
        Assert.IsType<PipelineBatchDeploymentSpec>(result.Spec);
    }

    [Fact]
    public void NameAndPathWithoutTypeOrSchema_AsksForAType()
    {
        var result = Spec.Read("name: thing\npath: ./x\n");

        Spec.SingleError(result, "spec.yml:1:1: cannot tell what this document describes ('path' alone fits both a model and a data asset); add 'type:' (e.g. 'type: custom_model' for a model, 'type: uri_folder' for data) or use the command for the resource kind, e.g. 'sluice model create -f'");
        Assert.Null(result.Kind);
    }

    [Fact]
    public void DocumentWithNoTellingKey_AsksForAType()
    {
        var result = Spec.Read("name: thing\ndescription: what am I\n");

        Spec.SingleError(result, "spec.yml:1:1: cannot tell what this document describes (no key that identifies a kind); add 'type:' (e.g. 'type: custom_model' for a model, 'type: uri_folder' for data) or use the command for the resource kind, e.g. 'sluice model create -f'");
    }

    [Theory]
    [InlineData("https://azuremlschemas.azureedge.net/latest/model.schema.json", DocumentKind.Model)]
    [InlineData("https://azuremlschemas.azureedge.net/latest/data.schema.json", DocumentKind.Data)]
    public void NameAndPathWithSchema_FollowTheSchema(string schema, DocumentKind kind)
    {
        var result = Spec.Read($"$schema: {schema}\nname: thing\npath: azureml://datastores/ds/paths/x/\n");

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(kind, result.Kind);
    }

    [Fact]
    public void NameAndPathWithExpectedKind_FollowTheCommand()
    {
        var result = Spec.Read("name: thing\npath: azureml://datastores/ds/paths/x/\n", DocumentKind.Data);

        Assert.Equal(DocumentKind.Data, result.Kind);
        Assert.Equal("thing", Spec.Valid<DataAssetSpec>(result).Name);
    }

    [Fact]
    public void DeploymentGivenToTheEndpointCommand_NamesTheDeploymentCommand()
    {
        var result = Spec.Read("name: blue-dpl\nendpoint_name: my-endpoint\nmodel: azureml:m:1\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:1:1: this document describes a batch deployment (from the key 'endpoint_name'), not a batch endpoint; use 'sluice batch-deployment create -f' for it");
        Assert.Null(result.Kind);
    }

    [Fact]
    public void ComputeGivenToTheModelCommand_NamesTheComputeCommand()
    {
        var result = Spec.Read("name: cpu-cluster\ntype: amlcompute\n", DocumentKind.Model);

        Spec.SingleError(result, "spec.yml:1:1: this document describes a compute (from 'type: amlcompute'), not a model; use 'sluice compute create -f' for it");
    }

    [Fact]
    public void JobInputsGivenToACreateCommand_PointsToInvoke()
    {
        var result = Spec.Read("inputs:\n  data:\n    path: azureml://datastores/ds/paths/x/\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:1:1: this document describes job inputs and outputs (from only 'inputs'/'outputs'), not a batch endpoint; give it to 'sluice batch-endpoint invoke --file' instead");
    }

    [Fact]
    public void CondaFileGivenToTheEnvironmentCommand_SaysWhereItBelongs()
    {
        var result = Spec.Read("channels: [conda-forge]\ndependencies: [python=3.10]\n", DocumentKind.Environment);

        Spec.SingleError(result, "spec.yml:1:1: this document describes a conda environment file (from the key 'channels'), not an environment; name it in an environment's 'conda_file:' and create that environment with 'sluice environment create -f'");
    }

    [Fact]
    public void EndpointWithNetworkAccessAndEndpointSchema_IsReadAsAnEndpoint()
    {
        var result = Spec.Read("$schema: https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json\nname: my-endpoint\npublic_network_access: disabled\n");

        Assert.Equal(DocumentKind.BatchEndpoint, result.Kind);
        Assert.Contains("endpoints take their network mode from their workspace", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NetworkAccessWithoutOtherHints_IsReadAsAWorkspace()
    {
        var result = Spec.Read("name: my-workspace\npublic_network_access: disabled\n");

        Assert.Equal(PublicNetworkAccess.Disabled, Spec.Valid<WorkspaceSpec>(result).PublicNetworkAccess);
    }

    [Theory]
    [InlineData("name: ws1\nhbi_workspace: true\n", DocumentKind.Workspace)]
    [InlineData("name: store\ntype: azure_blob\naccount_name: acct\ncontainer_name: data\n", DocumentKind.Datastore)]
    [InlineData("name: d\ntype: uri_file\npath: azureml://datastores/ds/paths/a.csv\n", DocumentKind.Data)]
    [InlineData("name: m\ntype: triton_model\npath: azureml://datastores/ds/paths/m/\n", DocumentKind.Model)]
    [InlineData("name: env\nimage: python:3.12\n", DocumentKind.Environment)]
    [InlineData("name: cluster\nmax_instances: 2\ntype: amlcompute\n", DocumentKind.Compute)]
    [InlineData("name: my-endpoint\nauth_mode: aad_token\n", DocumentKind.BatchEndpoint)]
    [InlineData("name: my-dpl\nmodel: azureml:m:1\n", DocumentKind.BatchDeployment)]
    [InlineData("name: step\ncommand: echo hi\n", DocumentKind.Component)]
    [InlineData("channels: [conda-forge]\n", DocumentKind.CondaFile)]
    [InlineData("inputs:\n  x:\n    type: string\n    default: a\n", DocumentKind.JobInputs)]
    public void Document_WithATellingKey_IsReadAsItsKind(string yaml, DocumentKind kind)
    {
        var result = Spec.Read(yaml);

        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Equal(kind, result.Kind);
    }

    [Theory]
    [InlineData("https://azuremlschemas.azureedge.net/latest/modelBatchDeployment.schema.json", DocumentKind.BatchDeployment)]
    [InlineData("https://azuremlschemas.azureedge.net/latest/pipelineComponentBatchDeployment.schema.json", DocumentKind.BatchDeployment)]
    [InlineData("https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json", DocumentKind.BatchEndpoint)]
    [InlineData("https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json", DocumentKind.Component)]
    [InlineData("https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json", DocumentKind.Compute)]
    [InlineData("https://azuremlschemas.azureedge.net/latest/workspace.schema.json", DocumentKind.Workspace)]
    [InlineData("https://azuremlschemas.azureedge.net/latest/environment.schema.json", DocumentKind.Environment)]
    public void Schema_MapsAzureSchemaFilesToKinds(string schema, DocumentKind? kind)
    {
        Assert.Equal(kind, SpecKindDetector.FromSchema(schema));
    }
}
