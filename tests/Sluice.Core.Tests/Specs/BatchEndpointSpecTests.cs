using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class BatchEndpointSpecTests
{
    private const string NetworkModeExplanation =
        "batch endpoints take their network mode from their workspace when they are created and keep it (as in Azure ML); "
        + "set public_network_access on the workspace instead, then create the endpoint";

    [Fact]
    public void Endpoint_WithOnlyAName_UsesTokenAuthAndNoDefaultDeployment()
    {
        var endpoint = Spec.Valid<BatchEndpointSpec>("name: mnist-batch\n", DocumentKind.BatchEndpoint);

        Assert.Equal("mnist-batch", endpoint.Name);
        Assert.Equal(AuthMode.AadToken, endpoint.AuthMode);
        Assert.Null(endpoint.Defaults.DeploymentName);
        Assert.Empty(endpoint.Tags);
    }

    [Fact]
    public void Endpoint_WithEveryField_ReadsThemAllAndWarnsAboutPlacement()
    {
        var result = Spec.Read(
            """
            $schema: https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json
            name: mnist-batch
            type: batch
            description: Scores MNIST images
            auth_mode: aad_token
            defaults:
              deployment_name: mnist-torch-dpl
            location: westeurope
            tags:
              type: deep-learning
            """);

        var endpoint = Spec.Valid<BatchEndpointSpec>(result);
        Assert.Equal(DocumentKind.BatchEndpoint, result.Kind);
        Assert.Equal("Scores MNIST images", endpoint.Description);
        Assert.Equal("mnist-torch-dpl", endpoint.Defaults.DeploymentName);
        Assert.Equal("deep-learning", endpoint.Tags["type"]);
        Assert.Equal(["spec.yml:8:11: warning: location: Azure placement has no meaning for a self-hosted endpoint; ignored"], Spec.Messages(result));
    }

    [Fact]
    public void Endpoint_WithMistypedKey_SuggestsTheClosestKeyAtItsPosition()
    {
        var result = Spec.Read("name: my-endpoint\ndescrption: x\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:2:1: unknown key 'descrption'; did you mean 'description'?");
    }

    [Fact]
    public void Endpoint_WithMistypedNestedKey_NamesTheMappingItIsIn()
    {
        var result = Spec.Read("name: my-endpoint\ndefaults:\n  deployment_nam: blue\n");

        Spec.SingleError(result, "spec.yml:3:3: unknown key 'deployment_nam' in 'defaults'; did you mean 'deployment_name'?");
    }

    [Fact]
    public void Endpoint_WithUnrecognisableKey_ListsTheExpectedKeys()
    {
        var result = Spec.Read("name: my-endpoint\nfoo_bar_baz: 1\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:2:1: unknown key 'foo_bar_baz'; expected one of: auth_mode, defaults, deployments, description, egress_public_network_access, identity, location, name, public_network_access, tags, traffic, type");
    }

    [Fact]
    public void Endpoint_WithNetworkAccessKeys_ExplainsEndpointsTakeTheirModeFromTheWorkspace()
    {
        var result = Spec.Read("name: my-endpoint\npublic_network_access: disabled\negress_public_network_access: disabled\n", DocumentKind.BatchEndpoint);

        Spec.Errors(
            result,
            $"spec.yml:2:1: public_network_access: {NetworkModeExplanation}",
            $"spec.yml:3:1: egress_public_network_access: {NetworkModeExplanation}");
    }

    [Fact]
    public void Endpoint_WithTrafficOrInlineDeployments_RejectsBoth()
    {
        var result = Spec.Read(
            """
            name: my-endpoint
            traffic:
              blue: 100
            deployments:
              - name: blue
            """);

        Spec.Errors(
            result,
            "spec.yml:2:1: traffic: traffic splitting is for online endpoints; a batch endpoint routes each job to defaults.deployment_name or to the deployment the invocation names",
            "spec.yml:4:1: deployments: inline deployments (Azure ML's legacy preview schema) are not supported; put each deployment in its own file with 'endpoint_name:' and create it with 'sluice batch-deployment create'");
    }

    [Fact]
    public void Endpoint_OfAnotherType_SaysOnlyBatchIsAllowed()
    {
        var result = Spec.Read("name: my-endpoint\ntype: online\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, "spec.yml:2:7: type: 'online' is not a batch endpoint type; omit type or write 'type: batch'");
    }

    [Fact]
    public void Endpoint_WithUnknownAuthMode_ListsTheAllowedModes()
    {
        var result = Spec.Read("name: my-endpoint\nauth_mode: key\n");

        Spec.SingleError(result, "spec.yml:2:12: auth_mode: 'key' is not allowed; expected one of: aad_token");
    }

    [Theory]
    [InlineData("ab", "'ab' is not a valid name")]
    [InlineData("1endpoint", "'1endpoint' is not a valid name")]
    [InlineData("my-endpoint-", "'my-endpoint-' is not a valid name")]
    [InlineData("my_endpoint", "'my_endpoint' is not a valid name")]
    public void Endpoint_WithInvalidName_ReportsTheNamingRule(string name, string problem)
    {
        var result = Spec.Read($"name: {name}\n", DocumentKind.BatchEndpoint);

        Spec.SingleError(result, $"spec.yml:1:7: name: {problem}: an endpoint name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'");
    }

    [Fact]
    public void Endpoint_WithInvalidDefaultDeploymentName_ReportsTheDeploymentRule()
    {
        var result = Spec.Read("name: my-endpoint\ndefaults:\n  deployment_name: x\n");

        Spec.SingleError(result, "spec.yml:3:20: defaults.deployment_name: 'x' is not a valid name: a deployment name has 3 to 32 characters: letters, digits and '-', starting with a letter and not ending with '-'");
    }

    [Fact]
    public void Endpoint_WithListForDefaults_ReportsTheType()
    {
        var result = Spec.Read("name: my-endpoint\ndefaults: [blue]\n");

        Spec.SingleError(result, "spec.yml:2:11: defaults: expected a mapping, got a list");
    }
}
