using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.References;

/// <summary>References as they appear in spec fields: where problems are reported, and what is only a warning.</summary>
public sealed class ReferenceFieldTests
{
    [Fact]
    public void RegistryModel_IsAcceptedWithAWarning()
    {
        var result = Spec.Read("name: my-dpl\nmodel: azureml://registries/azureml/models/mnist/versions/2\n");

        var deployment = Spec.Valid<ModelBatchDeploymentSpec>(result);
        Assert.IsType<RegistryReference>(deployment.Model.Reference);
        Assert.Equal(
            ["spec.yml:2:8: warning: model: 'azureml://registries/azureml/models/mnist/versions/2' is in registry 'azureml'; Sluice has no registries, so creating this on a server fails; register the asset in the workspace and refer to it as azureml:<name>@latest"],
            Spec.Messages(result));
    }

    [Fact]
    public void ModelWithoutVersion_IsReportedAtTheValue()
    {
        var result = Spec.Read("name: my-dpl\nmodel: azureml:mnist\n");

        Spec.SingleError(result, "spec.yml:2:8: model: 'azureml:mnist' names no version; write 'azureml:mnist:<version>' or 'azureml:mnist@latest'");
    }

    [Fact]
    public void ModelWithUnsupportedLabel_IsReportedAtTheValue()
    {
        var result = Spec.Read("name: my-dpl\nmodel: azureml:mnist@stable\n");

        Spec.SingleError(result, "spec.yml:2:8: model: 'azureml:mnist@stable': the only label is 'latest' (write 'azureml:mnist@latest' or pin a version with 'azureml:mnist:<version>')");
    }

    [Fact]
    public void DeploymentModel_AsALocalPath_IsRejected()
    {
        var result = Spec.Read("name: my-dpl\nmodel: ./model\n");

        Spec.SingleError(result, "spec.yml:2:8: model: './model' is not a reference; expected 'azureml:<name>:<version>' or 'azureml:<name>@latest'");
    }

    [Fact]
    public void DataPath_AsALongDatastoreUri_IsAccepted()
    {
        var data = Spec.Valid<DataAssetSpec>("name: heart\ntype: uri_file\npath: azureml://subscriptions/s/resourcegroups/rg/workspaces/ws/datastores/ds/paths/heart.csv\n");

        Assert.Equal(new DatastorePathReference("ds", "heart.csv", "ws"), data.Path);
    }

    [Fact]
    public void ComponentStepInput_WithRegistryPath_WarnsAtTheInnerPath()
    {
        var result = Spec.Read("name: pipe\ntype: pipeline\njobs:\n  s:\n    component: azureml:c:1\n    inputs:\n      m:\n        path: azureml://registries/r/models/m/versions/1\n");

        Spec.Valid<PipelineComponentSpec>(result);
        Assert.Equal(
            ["spec.yml:8:15: warning: jobs.s.inputs.m.path: 'azureml://registries/r/models/m/versions/1' is in registry 'r'; Sluice has no registries, so creating this on a server fails; register the asset in the workspace and refer to it as azureml:<name>@latest"],
            Spec.Messages(result));
    }

    [Fact]
    public void Reference_WrittenAsAList_ReportsTheType()
    {
        var result = Spec.Read("name: my-dpl\nmodel: azureml:m:1\ncompute: [a]\n");

        Spec.SingleError(result, "spec.yml:3:10: compute: expected a reference or path, got a list");
    }
}
