using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class ModelSpecTests
{
    [Fact]
    public void Model_WithNameAndPath_DefaultsToACustomModel()
    {
        var model = Spec.Valid<ModelSpec>("name: mnist\npath: azureml://datastores/ds/paths/models/mnist/\n", DocumentKind.Model);

        Assert.Equal("mnist", model.Name);
        Assert.Equal(ModelType.CustomModel, model.Type);
        Assert.Null(model.Version);
        Assert.Null(model.Stage);
        Assert.Empty(model.Properties);
        Assert.Equal("azureml://datastores/ds/paths/models/mnist/", model.Path.Text);
    }

    [Fact]
    public void Model_WithEveryField_ReadsThemAllAndWarnsThatFlavorsAreIgnored()
    {
        var result = Spec.Read(
            """
            name: heart-classifier
            version: "3"
            description: XGBoost classifier
            type: mlflow_model
            path: https://example.com/models/heart/
            stage: production
            properties:
              framework: xgboost
            flavors:
              python_function: {}
            tags:
              task: classification
            """);

        var model = Spec.Valid<ModelSpec>(result);
        Assert.Equal(DocumentKind.Model, result.Kind);
        Assert.Equal(("3", ModelType.MlflowModel, "production"), (model.Version, model.Type, model.Stage));
        Assert.IsType<WebReference>(model.Path);
        Assert.Equal("xgboost", model.Properties["framework"]);
        Assert.Equal("classification", model.Tags["task"]);
        Assert.Equal(["spec.yml:10:3: warning: flavors: MLflow flavors are read from the model's MLmodel file; ignored"], Spec.Messages(result));
    }

    [Fact]
    public void Model_WithLegacyLocalPath_ReadsItAsThePath()
    {
        var model = Spec.Valid<ModelSpec>("name: mnist\nlocal_path: ./model\n", DocumentKind.Model);

        var path = Assert.IsType<LocalPathReference>(model.Path);
        Assert.Equal("./model", path.WrittenPath);
    }

    [Fact]
    public void Model_WithBothPathAndLocalPath_AsksForOne()
    {
        var result = Spec.Read("name: mnist\npath: ./model\nlocal_path: ./model\n", DocumentKind.Model);

        Spec.SingleError(result, "spec.yml:3:1: local_path: give either path or the legacy local_path, not both");
    }

    [Fact]
    public void Model_WithoutPath_ReportsTheMissingKey()
    {
        var result = Spec.Read("name: mnist\ntype: custom_model\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'path'; the model file or folder");
    }

    [Fact]
    public void Model_WithoutName_ReportsTheMissingKey()
    {
        var result = Spec.Read("type: custom_model\npath: azureml://datastores/ds/paths/m/\n");

        Spec.SingleError(result, "spec.yml:1:1: missing required key 'name'");
    }

    [Fact]
    public void Model_WithTransposedTypeLetters_SuggestsTheType()
    {
        var result = Spec.Read("name: mnist\ntype: mlflow_modle\npath: azureml://datastores/ds/paths/m/\n", DocumentKind.Model);

        Spec.SingleError(result, "spec.yml:2:7: type: 'mlflow_modle' is not allowed; expected one of: custom_model, mlflow_model, triton_model (did you mean 'mlflow_model'?)");
    }

    [Fact]
    public void Model_WithAssetReferenceAsPath_IsRejected()
    {
        var result = Spec.Read("name: mnist\ntype: custom_model\npath: azureml:other:1\n");

        Spec.SingleError(result, "spec.yml:3:7: path: 'azureml:other:1': a versioned asset is not accepted here; expected 'azureml://datastores/<datastore>/paths/<path>', or an https:// URL, or a local path relative to the spec file");
    }
}
