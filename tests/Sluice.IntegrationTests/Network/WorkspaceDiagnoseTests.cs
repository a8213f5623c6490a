using System.Text.Json.Nodes;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Network;

/// <summary><c>sluice workspace diagnose</c> over the stored resources: findings grouped as Azure ML groups them.</summary>
public sealed class WorkspaceDiagnoseTests
{
    private const string Resources = """
        type: virtual_network
        name: vnet1
        location: westeurope
        address_space: [10.0.0.0/16]
        subnets:
          - name: compute
            address_prefix: 10.0.1.0/24
          - name: endpoints
            address_prefix: 10.0.2.0/24
        ---
        type: storage_account
        name: wsstore
        location: westeurope
        public_network_access: Disabled
        ---
        type: registry
        name: wsacr
        location: westeurope
        public_network_access: Disabled
        quarantine: true
        ---
        type: private_endpoint
        name: pe-blob
        location: westeurope
        subnet: vnet1/endpoints
        private_link_service_connection:
          target: storage_account:wsstore
          group_id: blob
        ---
        type: private_endpoint
        name: pe-ws
        location: westeurope
        subnet: vnet1/endpoints
        private_link_service_connection:
          target: workspace:secure
          group_id: amlworkspace
        """;

    [Fact]
    public async Task Diagnose_PrivateWorkspace_ReportsEachMissingStorageEndpoint_QuarantinedRegistry_KubernetesDnsIp_AndOldPublicEndpoint()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("diagnose");
        var root = new CliDriver(server.Url);
        await root.OkAsync("workspace", "create", "-n", "secure");
        var cli = new CliDriver(server.Url, "secure");
        await cli.OkAsync("batch-endpoint", "create", "-n", "early");
        folder.Write("network.yml", Resources);
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Combine("network.yml"));
        await cli.OkAsync("storage-account", "create", "-f", folder.Combine("network.yml"));
        await cli.OkAsync("registry", "create", "-f", folder.Combine("network.yml"));
        await cli.OkAsync("network", "private-endpoint", "create", "-f", folder.Combine("network.yml"), "-n", "pe-blob");
        await cli.OkAsync("network", "private-endpoint", "create", "-f", folder.Combine("network.yml"), "-n", "pe-ws");
        folder.Write("aks.yml", """
            name: aks
            type: kubernetes
            location: westeurope
            network_settings: { vnet_name: vnet1, subnet: compute }
            kubernetes_network:
              service_cidr: 10.100.0.0/16
              dns_service_ip: 10.200.0.10
              docker_bridge_cidr: 172.17.0.1/16
            """);
        await cli.OkAsync("compute", "create", "-f", folder.Combine("aks.yml"));
        await root.OkAsync("workspace", "update", "-n", "secure", "--set", "public_network_access=Disabled", "--set", "location=westeurope", "--set", "storage_account=wsstore", "--set", "container_registry=wsacr");

        var report = (await cli.OkAsync("workspace", "diagnose", "-n", "secure", "-o", "json")).Json();

        Assert.Equal("azure", (string?)report["rules"]);
        var storage = Codes(report, "storage_account");
        Assert.Contains(("PrivateEndpointMissing.File", "Error"), storage);
        Assert.Contains(("PrivateEndpointMissing.Queue", "Error"), storage);
        Assert.Contains(("PrivateEndpointMissing.Table", "Error"), storage);
        Assert.DoesNotContain(("PrivateEndpointMissing.Blob", "Error"), storage);
        Assert.Contains(("RegistryQuarantineUnsupported", "Error"), Codes(report, "container_registry"));
        var other = Codes(report, "other");
        Assert.Contains(("KubernetesDnsServiceIpOutsideServiceCidr", "Error"), other);
        Assert.Contains(("EndpointNetworkModeDiffers", "Information"), other);
        Assert.All(report.AsObject().Where(p => p.Value is JsonArray).SelectMany(p => p.Value!.AsArray()), f => Assert.False(string.IsNullOrWhiteSpace((string?)f!["message"])));

        // The table is for people; --fail-on-errors makes the errors an exit code for CI.
        var table = await cli.RunAsync("workspace", "diagnose", "-n", "secure", "--fail-on-errors");
        Assert.Equal(2, table.ExitCode);
        Assert.Contains("PrivateEndpointMissing.Queue", table.Out, StringComparison.Ordinal);
        var sluice = (await cli.OkAsync("workspace", "diagnose", "-n", "secure", "--rules", "sluice", "-o", "json")).Json();
        Assert.Equal("sluice", (string?)sluice["rules"]);
    }

    [Fact]
    public async Task Diagnose_WithAnUnknownRuleSet_IsRejectedWithTheChoices()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        await new CliDriver(server.Url).OkAsync("workspace", "create", "-n", "plain");

        using var response = await http.PostAsync(new Uri("/workspaces/plain/diagnose?rules=gcp", UriKind.Relative), null, ct);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("rules=sluice", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    private static List<(string Code, string Level)> Codes(JsonNode report, string group) =>
        [.. (report[group] as JsonArray ?? []).Select(f => ((string)f!["code"]!, (string)f["level"]!))];
}
