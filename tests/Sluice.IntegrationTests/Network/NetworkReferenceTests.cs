using System.Net;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;
using static Sluice.IntegrationTests.Network.NetworkSamples;

namespace Sluice.IntegrationTests.Network;

/// <summary>References between network resources (and from computes, workspaces and endpoints) checked by the server.</summary>
public sealed class NetworkReferenceTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string VnetWithNsg = """
        type: virtual_network
        name: vnet1
        address_space: [10.0.0.0/16]
        subnets:
          - name: compute
            address_prefix: 10.0.1.0/24
            network_security_group: nsg-compute
        """;

    [Fact]
    public async Task Subnet_NamingAMissingNsg_IsRejected_AndTheNsgCannotBeDeletedOnceUsed()
    {
        var cli = await shared.WorkspaceAsync("ref-nsg");
        using var folder = new TempFolder("network");
        var vnet = folder.Write("vnet.yml", VnetWithNsg);

        var refused = await cli.RunAsync("network", "vnet", "create", "-f", vnet);
        await cli.OkAsync("network", "nsg", "create", "-f", folder.Write("nsg.yml", Nsg));
        await cli.OkAsync("network", "vnet", "create", "-f", vnet);
        var inUse = await cli.RunAsync("network", "nsg", "delete", "-n", "nsg-compute", "--yes");

        Assert.True(refused.ExitCode == ExitCodes.Invalid, refused.ToString());
        Assert.Contains("virtual network 'vnet1': subnets[0].network_security_group: network security group 'nsg-compute' does not exist in the workspace", refused.Error, StringComparison.Ordinal);
        Assert.True(inUse.ExitCode == ExitCodes.Invalid, inUse.ToString());
        Assert.Contains("error: Network security group 'nsg-compute' is referenced by virtual network 'vnet1' (subnets[0].network_security_group).", inUse.Error, StringComparison.Ordinal);
        await cli.OkAsync("network", "nsg", "show", "-n", "nsg-compute");
    }

    [Fact]
    public async Task Delete_OfAReferencedResource_Is409NamingWhoRefersToIt()
    {
        await shared.WorkspaceAsync("ref-rest");
        using var api = new RawApi(shared.Url);
        await PutAsync(api, "/workspaces/ref-rest/application-security-groups/asg-web", Asg);
        await PutAsync(api, "/workspaces/ref-rest/virtual-networks/vnet1", Vnet);
        await PutAsync(api, "/workspaces/ref-rest/network-interfaces/vm1-nic", "type: network_interface\nsubnet: vnet1/compute\napplication_security_groups: [asg-web]\n");

        var problem = await api.ProblemAsync(HttpStatusCode.Conflict, HttpMethod.Delete, "/workspaces/ref-rest/application-security-groups/asg-web");
        var missing = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/workspaces/ref-rest/network-interfaces/vm2-nic", RawApi.Body("subnet: vnet1/nodes\n", "application/yaml"));

        Assert.Equal("Application security group 'asg-web' is referenced by network interface 'vm1-nic' (application_security_groups[0]).", At(problem, "detail"));
        Assert.Contains("remove those references", At(problem, "hint"), StringComparison.Ordinal);
        Assert.Equal("network interface 'vm2-nic': subnet: virtual network 'vnet1' has no subnet 'nodes' (its subnets: compute, endpoints)", At(missing, "detail"));
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusOfAsync("/workspaces/ref-rest/network-interfaces/vm2-nic"));
    }

    [Fact]
    public async Task VnetUpdate_ThatRemovesAUsedSubnetOrStrandsAnAddress_IsRefused()
    {
        var cli = await shared.WorkspaceAsync("ref-subnet");
        using var folder = new TempFolder("network");
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Write("vnet.yml", Vnet));
        await cli.OkAsync("network", "nic", "create", "-f", folder.Write("nic.yml", Nic));

        var removed = await cli.RunAsync("network", "vnet", "update", "-n", "vnet1", "--set", "subnets=[{name: endpoints, address_prefix: 10.0.2.0/24}]");
        var shrunk = await cli.RunAsync("network", "vnet", "update", "-n", "vnet1", "--set", "subnets=[{name: compute, address_prefix: 10.0.1.0/29}, {name: endpoints, address_prefix: 10.0.2.0/24}]");
        var unrelated = await cli.RunAsync("network", "vnet", "update", "-n", "vnet1", "--set", "dns_servers=[10.0.0.5]");

        Assert.True(removed.ExitCode == ExitCodes.Invalid, removed.ToString());
        Assert.Contains("would break a resource that refers to it: network interface 'vm1-nic': subnet: virtual network 'vnet1' has no subnet 'compute' (its subnets: endpoints)", removed.Error, StringComparison.Ordinal);
        Assert.True(shrunk.ExitCode == ExitCodes.Invalid, shrunk.ToString());
        Assert.Contains("network interface 'vm1-nic': private_ip_address: 10.0.1.10 is not in subnet 'vnet1/compute' (10.0.1.0/29)", shrunk.Error, StringComparison.Ordinal);
        Assert.True(unrelated.ExitCode == ExitCodes.Success, unrelated.ToString());
    }

    [Fact]
    public async Task PrivateEndpoint_NeedsItsTarget_WhichThenCannotBeDeleted()
    {
        var cli = await shared.WorkspaceAsync("ref-pe");
        using var folder = new TempFolder("network");
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Write("vnet.yml", Vnet));
        var endpoint = folder.Write("pe.yml", PrivateEndpoint);

        var noTarget = await cli.RunAsync("network", "private-endpoint", "create", "-f", endpoint);
        await cli.OkAsync("storage-account", "create", "-f", folder.Write("st.yml", StorageAccount));
        await cli.OkAsync("network", "private-endpoint", "create", "-f", endpoint);
        var inUse = await cli.RunAsync("storage-account", "delete", "-n", "mystorage", "--yes");
        var toWorkspace = await cli.OkAsync("network", "private-endpoint", "create", "-f", endpoint, "-n", "pe-ws", "--set", "private_link_service_connection={target: workspace:ref-pe, group_id: amlworkspace}");
        var toNowhere = await cli.RunAsync("network", "private-endpoint", "create", "-f", endpoint, "-n", "pe-x", "--set", "private_link_service_connection={target: workspace:nowhere, group_id: amlworkspace}");

        Assert.True(noTarget.ExitCode == ExitCodes.Invalid, noTarget.ToString());
        Assert.Contains("private_link_service_connection.target: storage account 'mystorage' does not exist in the workspace", noTarget.Error, StringComparison.Ordinal);
        Assert.True(inUse.ExitCode == ExitCodes.Invalid, inUse.ToString());
        Assert.Contains("Storage account 'mystorage' is referenced by private endpoint 'pe-blob' (private_link_service_connection.target).", inUse.Error, StringComparison.Ordinal);
        Assert.Equal("ref-pe.workspace.local.api.azureml.ms", At(toWorkspace.Json()["dns_configs"]![0], "fqdn"));
        Assert.True(toNowhere.ExitCode == ExitCodes.Invalid, toNowhere.ToString());
        Assert.Contains("private_link_service_connection.target: workspace 'nowhere' does not exist", toNowhere.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StorageRule_ForASubnetWithoutServiceEndpoint_IsAcceptedWithAWarning()
    {
        var cli = await shared.WorkspaceAsync("ref-svc-endpoint");
        using var folder = new TempFolder("network");
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Write("vnet.yml", Vnet));
        var storage = folder.Write("st.yml", "type: storage_account\nname: mystorage\nnetwork_rule_set:\n  default_action: Deny\n  virtual_network_rules: [vnet1/compute, vnet1/endpoints]\n");

        var created = await cli.OkAsync("storage-account", "create", "-f", storage);

        Assert.DoesNotContain("vnet1/compute' has no", created.Error, StringComparison.Ordinal);
        Assert.Contains("warning: storage account 'mystorage': network_rule_set.virtual_network_rules[1]: subnet 'vnet1/endpoints' has no Microsoft.Storage service endpoint", created.Error, StringComparison.Ordinal);
        Assert.Null(created.Json()["warnings"]);
        var inUse = await cli.RunAsync("network", "vnet", "delete", "-n", "vnet1", "--yes");
        Assert.Contains("is referenced by storage account 'mystorage' (network_rule_set.virtual_network_rules[0]), storage account 'mystorage' (network_rule_set.virtual_network_rules[1])", inUse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workspace_NamingItsServices_NeedsThemOnceItExists()
    {
        var cli = await shared.WorkspaceAsync("ref-ws");
        using var folder = new TempFolder("network");

        var missing = await cli.RunAsync("workspace", "update", "-n", "ref-ws", "--set", "storage_account=mystorage");
        await cli.OkAsync("storage-account", "create", "-f", folder.Write("st.yml", StorageAccount));
        var named = (await cli.OkAsync("workspace", "update", "-n", "ref-ws", "--set", "storage_account=/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/mystorage")).Json();
        var inUse = await cli.RunAsync("storage-account", "delete", "-n", "mystorage", "--yes");

        Assert.True(missing.ExitCode == ExitCodes.Invalid, missing.ToString());
        Assert.Contains("Workspace 'ref-ws' storage_account names storage account 'mystorage', which does not exist in the workspace.", missing.Error, StringComparison.Ordinal);
        Assert.Equal("mystorage", At(named, "storage_account"));
        Assert.Contains("Storage account 'mystorage' is referenced by workspace 'ref-ws' (storage_account).", inUse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compute_WithNetworkSettings_NeedsTheSubnet()
    {
        var cli = await shared.WorkspaceAsync("ref-compute");
        using var folder = new TempFolder("network");
        var compute = Compute(folder, "cpu-cluster");

        var noVnet = await cli.RunAsync("compute", "create", "-f", compute, "--set", "network_settings={vnet_name: vnet1, subnet: compute}");
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Write("vnet.yml", Vnet));
        var noSubnet = await cli.RunAsync("compute", "create", "-f", compute, "--set", "network_settings={vnet_name: vnet1, subnet: nodes}");
        var created = (await cli.OkAsync("compute", "create", "-f", compute, "--set", "network_settings={subnet: vnet1/subnets/compute}")).Json();
        var inUse = await cli.RunAsync("network", "vnet", "delete", "-n", "vnet1", "--yes");

        Assert.True(noVnet.ExitCode == ExitCodes.Invalid, noVnet.ToString());
        Assert.Contains("compute 'cpu-cluster': network_settings.subnet: virtual network 'vnet1' does not exist in the workspace", noVnet.Error, StringComparison.Ordinal);
        Assert.Contains("network_settings.subnet: virtual network 'vnet1' has no subnet 'nodes' (its subnets: compute, endpoints)", noSubnet.Error, StringComparison.Ordinal);
        Assert.Equal(("vnet1", "compute"), (At(created, "network_settings.vnet_name"), At(created, "network_settings.subnet")));
        Assert.Contains("is referenced by compute 'cpu-cluster' (network_settings.subnet)", inUse.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoint_WithPublicNetworkAccess_IsRejectedByTheCliAndTheApi()
    {
        await shared.WorkspaceAsync("ref-endpoint");
        var cli = new CliDriver(shared.Url, "ref-endpoint");
        using var folder = new TempFolder("network");
        using var api = new RawApi(shared.Url);
        var file = folder.Write("endpoint.yml", "name: scorer\nauth_mode: aad_token\npublic_network_access: Disabled\n");

        var viaCli = await cli.RunAsync("batch-endpoint", "create", "-f", file);
        var viaApi = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/workspaces/ref-endpoint/batchEndpoints/scorer", RawApi.Json("""{"public_network_access": "Disabled"}"""));

        Assert.True(viaCli.ExitCode == ExitCodes.Invalid, viaCli.ToString());
        Assert.Contains($"{file}:3:1: public_network_access: batch endpoints take their network mode from their workspace when they are created", viaCli.Error, StringComparison.Ordinal);
        Assert.Contains("set public_network_access on the workspace instead", At(viaApi, "detail"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, await api.StatusOfAsync("/workspaces/ref-endpoint/batchEndpoints/scorer"));
    }

    private static async Task PutAsync(RawApi api, string path, string yaml)
    {
        using var response = await api.SendAsync(HttpMethod.Put, path, RawApi.Body(yaml, "application/yaml"));
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }
}
