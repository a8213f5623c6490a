using System.Net;
using System.Text.Json.Nodes;
using Sluice.IntegrationTests.Infrastructure;

namespace Sluice.IntegrationTests.Network;

/// <summary>
/// A private workspace serves its data plane only to callers inside a network that reaches it through an approved
/// private endpoint (per the model); batch endpoints keep the network mode they were created with.
/// </summary>
public sealed class PrivateWorkspaceTests
{
    private const string Vnet = """
        type: virtual_network
        name: vnet1
        address_space: [10.0.0.0/16]
        subnets:
          - name: endpoints
            address_prefix: 10.0.2.0/24
        """;

    private const string WorkspaceEndpoint = """
        type: private_endpoint
        name: pe-workspace
        subnet: vnet1/endpoints
        private_ip_address: 10.0.2.5
        private_link_service_connection:
          target: workspace:secure
          group_id: amlworkspace
        """;

    [Fact]
    public async Task PrivateWorkspace_RefusesCallersOutsideItsNetworks_AcceptsThemOnceTheModelPlacesThemInside_AndOldEndpointsStayPublic()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(configure: o => o.TrustedProxies = ["127.0.0.1"], cancellationToken: ct);
        using var folder = new TempFolder("private-workspace");
        var project = TabularProject.Create(folder, "early");
        await new CliDriver(server.Url).OkAsync("workspace", "create", "-n", "secure");
        var cli = new CliDriver(server.Url, "secure");
        await project.DeployAsync(cli);
        await cli.OkAsync("data", "create", "-n", "inputs", "--path", project.DataFolder, "--type", "uri_folder");
        folder.Write("vnet.yml", Vnet);
        folder.Write("pe.yml", WorkspaceEndpoint);
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Combine("vnet.yml"));
        await cli.OkAsync("network", "private-endpoint", "create", "-f", folder.Combine("pe.yml"));

        await cli.OkAsync("workspace", "update", "-n", "secure", "--set", "public_network_access=Disabled");
        await cli.OkAsync("batch-endpoint", "create", "-n", "late");
        folder.Write("late-deployment.yml", "name: classifier\nendpoint_name: late\nmodel: azureml:early-model:1\n");
        await cli.OkAsync("batch-deployment", "create", "-f", folder.Combine("late-deployment.yml"));

        // The endpoint created while the workspace was public keeps that mode, and is invoked from anywhere.
        Assert.Equal("public", (string?)(await cli.OkAsync("batch-endpoint", "show", "-n", "early")).Json()["network_mode"]);
        Assert.Equal("private", (string?)(await cli.OkAsync("batch-endpoint", "show", "-n", "late")).Json()["network_mode"]);
        var early = await cli.OkAsync("batch-endpoint", "invoke", "-n", "early", "--input", "azureml:inputs:1");
        Assert.False(string.IsNullOrEmpty((string?)early.Json()["name"]));

        // 127.0.0.1 is in no network that reaches the workspace: refused, with the reason and the way in.
        var refused = await cli.RunAsync("batch-endpoint", "invoke", "-n", "late", "--input", "azureml:inputs:1");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("127.0.0.1 is outside every network that reaches it", refused.Error, StringComparison.Ordinal);
        Assert.Contains("virtual network vnet1 (10.0.0.0/16) through private endpoint pe-workspace (10.0.2.5)", refused.Error, StringComparison.Ordinal);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using (var response = await http.GetAsync(new Uri("/workspaces/secure/jobs", UriKind.Relative), ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
            Assert.Equal(403, (int)problem["status"]!);
            Assert.Contains("sluice workspace update -n secure --set public_network_access=Enabled", (string?)problem["hint"], StringComparison.Ordinal);
        }

        // A trusted proxy says the caller is 10.0.7.9, inside vnet1: served.
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/workspaces/secure/jobs", UriKind.Relative)))
        {
            request.Headers.Add("X-Forwarded-For", "10.0.7.9");
            using var response = await http.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The model now places this machine behind vnet1's gateway (an on-premises site on a VPN): the same call is served.
        await cli.OkAsync("network", "vnet", "update", "-n", "vnet1", "--set", "gateway={address_prefixes: [127.0.0.1/32]}");
        var late = await cli.OkAsync("batch-endpoint", "invoke", "-n", "late", "--input", "azureml:inputs:1");
        var job = await cli.OkAsync("job", "show", "-n", (string)late.Json()["name"]!);
        Assert.Equal("late", (string?)job.Json()["endpoint_name"]);
    }

    [Fact]
    public async Task ForwardedFor_FromAnUntrustedPeer_IsIgnored()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await RunningServer.StartAsync(cancellationToken: ct);
        using var folder = new TempFolder("untrusted-proxy");
        await new CliDriver(server.Url).OkAsync("workspace", "create", "-n", "secure");
        var cli = new CliDriver(server.Url, "secure");
        folder.Write("vnet.yml", Vnet);
        folder.Write("pe.yml", WorkspaceEndpoint);
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Combine("vnet.yml"));
        await cli.OkAsync("network", "private-endpoint", "create", "-f", folder.Combine("pe.yml"));
        await cli.OkAsync("workspace", "update", "-n", "secure", "--set", "public_network_access=Disabled");

        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/workspaces/secure/jobs", UriKind.Relative));
        request.Headers.Add("X-Forwarded-For", "10.0.7.9");
        using var response = await http.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("127.0.0.1 is outside", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }
}
