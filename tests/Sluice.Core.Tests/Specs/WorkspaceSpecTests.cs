using Sluice.Core.Specs;
using Sluice.Core.Tests.TestSupport;

namespace Sluice.Core.Tests.Specs;

public sealed class WorkspaceSpecTests
{
    [Fact]
    public void Workspace_WithOnlyAName_FillsTheDefaults()
    {
        var workspace = Spec.Valid<WorkspaceSpec>("name: my-workspace\n", DocumentKind.Workspace);

        Assert.Equal("my-workspace", workspace.Name);
        Assert.Equal(PublicNetworkAccess.Enabled, workspace.PublicNetworkAccess);
        Assert.Equal(NetworkMode.Public, workspace.NetworkMode);
        Assert.Null(workspace.ManagedNetwork);
        Assert.False(workspace.HbiWorkspace);
        Assert.Empty(workspace.Tags);
        Assert.Null(workspace.Description);
    }

    [Fact]
    public void Workspace_WithEveryField_ReadsThemAllAndWarnsAboutAzureOnlyKeys()
    {
        var result = Spec.Read(
            """
            name: my-workspace
            display_name: My workspace
            description: Scoring workspace
            location: westeurope
            public_network_access: disabled
            managed_network:
              isolation_mode: allow_only_approved_outbound
              outbound_rules: []
            hbi_workspace: true
            storage_account: stdata
            key_vault: kv-main
            container_registry: /subscriptions/0/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/crmain
            application_insights: ai
            resource_group: rg
            tags:
              team: 1
            """);

        var workspace = Spec.Valid<WorkspaceSpec>(result);
        Assert.Equal(DocumentKind.Workspace, result.Kind);
        Assert.Equal("My workspace", workspace.DisplayName);
        Assert.Equal("Scoring workspace", workspace.Description);
        Assert.Equal("westeurope", workspace.Location);
        Assert.Equal(PublicNetworkAccess.Disabled, workspace.PublicNetworkAccess);
        Assert.Equal(NetworkMode.Private, workspace.NetworkMode);
        Assert.Equal(IsolationMode.AllowOnlyApprovedOutbound, workspace.ManagedNetwork?.IsolationMode);
        Assert.True(workspace.HbiWorkspace);
        Assert.Equal(("stdata", "kv-main", "crmain", "ai"), (workspace.StorageAccount, workspace.KeyVault, workspace.ContainerRegistry, workspace.ApplicationInsights));
        Assert.Equal("1", workspace.Tags["team"]);
        Assert.Equal(
            [
                "spec.yml:8:19: warning: managed_network.outbound_rules: outbound rules are modelled by Sluice's network resources (sluice network …); this key is ignored",
                "spec.yml:14:17: warning: resource_group: Azure resource placement has no meaning for a self-hosted workspace; ignored",
            ],
            Spec.Messages(result));
    }

    [Fact]
    public void Workspace_WithInvalidServiceNames_ReportsEachNamingRule()
    {
        var result = Spec.Read("name: my-workspace\nstorage_account: My_Storage\nkey_vault: 1kv\ncontainer_registry: acr\n", DocumentKind.Workspace);

        Spec.Errors(
            result,
            "spec.yml:2:18: storage_account: 'My_Storage' is not a valid name: a storage account name has 3 to 24 characters: lowercase letters and digits only",
            "spec.yml:3:12: key_vault: '1kv' is not a valid name: a secret store name has 3 to 24 characters: letters, digits and '-', starting with a letter, ending with a letter or digit, without '--'",
            "spec.yml:4:21: container_registry: 'acr' is not a valid name: a registry name has 5 to 50 characters: letters and digits only");
    }

    [Fact]
    public void Workspace_PublicNetworkAccess_IsWrittenAsAzureSpellsIt()
    {
        var workspace = Spec.Valid<WorkspaceSpec>("name: my-workspace\npublic_network_access: disabled\n", DocumentKind.Workspace);

        Assert.Contains("\"public_network_access\":\"Disabled\"", Core.Serialization.SpecCodec.Encode(workspace), StringComparison.Ordinal);
    }

    [Fact]
    public void Workspace_WithTooShortName_ReportsTheNamingRule()
    {
        var result = Spec.Read("name: ws\n", DocumentKind.Workspace);

        Spec.SingleError(result, "spec.yml:1:7: name: 'ws' is not a valid name: a workspace name has 3 to 33 characters: letters, digits, '-' and '_', starting with a letter or digit");
    }

    [Fact]
    public void Workspace_WithUnknownNetworkAccessAndNonBooleanFlag_ReportsBoth()
    {
        var result = Spec.Read(
            """
            name: my-workspace
            public_network_access: private
            hbi_workspace: yes
            """,
            DocumentKind.Workspace);

        Spec.Errors(
            result,
            "spec.yml:2:24: public_network_access: 'private' is not allowed; expected one of: Enabled, Disabled",
            "spec.yml:3:16: hbi_workspace: expected true or false, got 'yes'");
    }

    [Fact]
    public void Workspace_WithMistypedIsolationMode_SuggestsTheClosestValue()
    {
        var result = Spec.Read(
            """
            name: my-workspace
            managed_network:
              isolation_mode: allow_internet_outbund
            """);

        Spec.SingleError(result, "spec.yml:3:19: managed_network.isolation_mode: 'allow_internet_outbund' is not allowed; expected one of: disabled, allow_internet_outbound, allow_only_approved_outbound (did you mean 'allow_internet_outbound'?)");
    }
}
