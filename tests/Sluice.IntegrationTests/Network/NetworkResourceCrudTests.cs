using System.Net;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;
using static Sluice.IntegrationTests.Network.NetworkSamples;

namespace Sluice.IntegrationTests.Network;

/// <summary>Every network kind through the CLI and the REST API, on one server; each test has its own workspace.</summary>
public sealed class NetworkResourceCrudTests(SharedServer shared) : IClassFixture<SharedServer>
{
    public static TheoryData<string, string, string, string, string, string> Kinds => new()
    {
        // group, resource file, name, --set for update, key, value after update
        { "network vnet", Vnet, "vnet1", "dns_servers=[10.0.0.5]", "dns_servers", "[\"10.0.0.5\"]" },
        { "network nsg", Nsg, "nsg-compute", "description=node traffic", "description", "node traffic" },
        { "network route-table", RouteTable, "rt-compute", "disable_bgp_route_propagation=true", "disable_bgp_route_propagation", "true" },
        { "network nat-gateway", NatGateway, "nat1", "idle_timeout_in_minutes=10", "idle_timeout_in_minutes", "10" },
        { "network asg", Asg, "asg-web", "tags.tier=web", "tags.tier", "web" },
        { "network nic", Nic, "vm1-nic", "enable_ip_forwarding=true", "enable_ip_forwarding", "true" },
        { "network private-endpoint", PrivateEndpoint, "pe-blob", "private_link_service_connection.status=Pending", "private_link_service_connection.status", "Pending" },
        { "storage-account", StorageAccount, "mystorage", "public_network_access=disabled", "public_network_access", "Disabled" },
        { "secret-store", SecretStore, "kv1", "network_acls.default_action=deny", "network_acls.default_action", "Deny" },
        { "registry", Registry, "acr12345", "quarantine=true", "quarantine", "true" },
        { "network service-tag", ServiceTag, "OnPremLab", "address_prefixes=[192.0.2.0/24, 198.51.100.0/24]", "address_prefixes", "[\"192.0.2.0/24\",\"198.51.100.0/24\"]" },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Kind_CreateShowListUpdateDelete_ThroughTheCli(string group, string yaml, string name, string set, string key, string value)
    {
        var cli = await shared.WorkspaceAsync($"crud-{group.Replace(' ', '-')}");
        using var folder = new TempFolder("network");
        string[] verbs = group.Split(' ');
        // Interfaces and private endpoints live in a subnet; a private endpoint also needs its target.
        if (group is "network nic" or "network private-endpoint")
        {
            await cli.OkAsync("network", "vnet", "create", "-f", folder.Write("vnet.yml", Vnet));
        }

        if (group == "network private-endpoint")
        {
            await cli.OkAsync("storage-account", "create", "-f", folder.Write("st.yml", StorageAccount));
        }

        var created = (await cli.OkAsync([.. verbs, "create", "-f", folder.Write("resource.yml", yaml)])).Json();
        Assert.Equal(name, At(created, "name"));
        Assert.EndsWith($"/{name}", At(created, "id"), StringComparison.Ordinal);

        var shown = (await cli.OkAsync([.. verbs, "show", "-n", name])).Json();
        Assert.Equal(At(created, "type"), At(shown, "type"));

        Assert.Contains(name, Names(await cli.OkAsync([.. verbs, "list", "-o", "json"])));
        Assert.Equal(ExitCodes.Success, (await cli.RunAsync([.. verbs, "list", "-o", "table"])).ExitCode);

        var updated = (await cli.OkAsync([.. verbs, "update", "-n", name, "--set", set])).Json();
        Assert.Equal(value, At(updated, key));
        Assert.Equal(value, At((await cli.OkAsync([.. verbs, "show", "-n", name])).Json(), key));

        await cli.OkAsync([.. verbs, "delete", "-n", name, "--yes"]);
        var gone = await cli.RunAsync([.. verbs, "show", "-n", name]);
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Contains("was not found", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Location_WhenOmitted_IsTheWorkspacesOrLocal()
    {
        var located = await shared.WorkspaceAsync("located", location: "westeurope");
        var plain = await shared.WorkspaceAsync("unlocated");
        using var folder = new TempFolder("network");
        var file = folder.Write("asg.yml", Asg);

        Assert.Equal("westeurope", At((await located.OkAsync("network", "asg", "create", "-f", file)).Json(), "location"));
        Assert.Equal("local", At((await plain.OkAsync("network", "asg", "create", "-f", file)).Json(), "location"));
        Assert.Equal("northeurope", At((await plain.OkAsync("network", "asg", "create", "-n", "asg-2", "--location", "northeurope")).Json(), "location"));
    }

    [Fact]
    public async Task Addresses_WhenOmitted_AreTheLowestFreeOnesAndAreKept()
    {
        var cli = await shared.WorkspaceAsync("dynamic-ip");
        using var folder = new TempFolder("network");
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Write("vnet.yml", Vnet));
        await cli.OkAsync("storage-account", "create", "-f", folder.Write("st.yml", StorageAccount));
        var nic = folder.Write("nic.yml", "type: network_interface\nname: a\nsubnet: vnet1/endpoints\n");

        var first = (await cli.OkAsync("network", "nic", "create", "-f", nic)).Json();
        var second = (await cli.OkAsync("network", "nic", "create", "-f", nic, "-n", "b")).Json();
        var endpoint = (await cli.OkAsync("network", "private-endpoint", "create", "-f", folder.Write("pe.yml", PrivateEndpoint))).Json();
        var again = (await cli.OkAsync("network", "nic", "create", "-f", nic)).Json();

        Assert.Equal("10.0.2.4", At(first, "private_ip_address"));
        Assert.Equal("10.0.2.5", At(second, "private_ip_address"));
        Assert.Equal("[\"10.0.2.6\"]", At(endpoint, "private_ip_addresses"));
        Assert.Equal("10.0.2.4", At(again, "private_ip_address"));
        var dns = endpoint["dns_configs"]!.AsArray().Single()!;
        Assert.Equal(("mystorage.blob.core.windows.net", "mystorage.privatelink.blob.core.windows.net"), (At(dns, "fqdn"), At(dns, "private_link_fqdn")));

        var taken = await cli.RunAsync("network", "nic", "create", "-f", nic, "-n", "c", "--set", "private_ip_address=10.0.2.5");
        Assert.True(taken.ExitCode == ExitCodes.Invalid, taken.ToString());
        Assert.Contains("private_ip_address: 10.0.2.5 is already used by network interface 'b' in virtual network 'vnet1'", taken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Peerings_InBothDirections_AreConnected()
    {
        var cli = await shared.WorkspaceAsync("peering");
        using var folder = new TempFolder("network");
        var hub = folder.Write("hub.yml", "type: virtual_network\nname: hub\naddress_space: [10.10.0.0/16]\npeerings:\n  - name: to-spoke\n    remote_virtual_network: spoke\n");
        var spoke = folder.Write("spoke.yml", "type: virtual_network\nname: spoke\naddress_space: [10.20.0.0/16]\npeerings:\n  - name: to-hub\n    remote_virtual_network: hub\n");

        var early = await cli.OkAsync("network", "vnet", "create", "-f", hub);
        await cli.OkAsync("network", "vnet", "create", "-f", spoke);

        Assert.Contains("warning: virtual network 'hub': peerings[0].remote_virtual_network: virtual network 'spoke' does not exist (yet)", early.Error, StringComparison.Ordinal);
        Assert.Equal("Disconnected", At(early.Json(), "peering_states.to-spoke"));
        Assert.Equal("Connected", At((await cli.OkAsync("network", "vnet", "show", "-n", "hub")).Json(), "peering_states.to-spoke"));
        await cli.OkAsync("network", "vnet", "delete", "-n", "spoke", "--yes");
        Assert.Equal("Disconnected", At((await cli.OkAsync("network", "vnet", "show", "-n", "hub")).Json(), "peering_states.to-spoke"));
    }

    [Fact]
    public async Task Create_FromAFileOfSeveralDocuments_PicksTheDocumentOfItsKind()
    {
        var cli = await shared.WorkspaceAsync("multi-doc");
        using var folder = new TempFolder("network");
        var file = folder.Write("network.yml", string.Join("\n---\n", Vnet, Asg, "type: application_security_group\nname: asg-db\n"));

        await cli.OkAsync("network", "vnet", "create", "-f", file);
        await cli.OkAsync("network", "asg", "create", "-f", file, "-n", "asg-db");
        var ambiguous = await cli.RunAsync("network", "asg", "create", "-f", file);

        Assert.Equal(["asg-db"], Names(await cli.OkAsync("network", "asg", "list", "-o", "json")));
        Assert.True(ambiguous.ExitCode == ExitCodes.Invalid, ambiguous.ToString());
        Assert.Contains("the file describes 2 of kind application security group (asg-web, asg-db); choose one with -n", ambiguous.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_PutYamlGetListDelete_FollowTheRoutes()
    {
        await shared.WorkspaceAsync("rest");
        using var api = new RawApi(shared.Url);

        using (var created = await api.SendAsync(HttpMethod.Put, "/workspaces/rest/virtual-networks/vnet1", RawApi.Body(Vnet, "application/yaml")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal("/workspaces/rest/virtual-networks/vnet1", created.Headers.Location?.OriginalString);
        }

        using (var replaced = await api.SendAsync(HttpMethod.Put, "/workspaces/rest/virtual-networks/vnet1", RawApi.Json("""{"address_space": ["10.0.0.0/16"]}""")))
        {
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        }

        var list = await api.GetAsync("/workspaces/rest/virtual-networks");
        Assert.Equal("virtual_network", At(list["value"]![0], "type"));
        Assert.Equal("[]", At(list["value"]![0], "subnets"));
        foreach (var collection in new[] { "network-security-groups", "route-tables", "nat-gateways", "application-security-groups", "network-interfaces", "private-endpoints", "storage-accounts", "secret-stores", "registries", "service-tags", "service-tag-sets" })
        {
            Assert.NotNull((await api.GetAsync($"/workspaces/rest/{collection}"))["value"]);
        }

        var invalid = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Put, "/workspaces/rest/network-security-groups/nsg1", RawApi.Body("security_rules:\n  - name: r\n    priority: 99\n", "application/yaml"));
        var error = invalid["errors"]!.AsArray().First(e => At(e, "key") == "security_rules[0].priority")!;
        Assert.Equal(("3", "15"), (At(error, "line"), At(error, "column")));
        Assert.Equal("security_rules[0].priority: 99 is out of range; expected a value from 100 to 4096", At(error, "message"));

        var missing = await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/workspaces/rest/route-tables/nothing");
        Assert.Contains("Route table 'nothing'", At(missing, "detail"), StringComparison.Ordinal);

        using (var deleted = await api.SendAsync(HttpMethod.Delete, "/workspaces/rest/virtual-networks/vnet1"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, await api.StatusOfAsync("/workspaces/rest/virtual-networks/vnet1"));
        var openApi = await api.GetAsync("/openapi/v1.json");
        Assert.NotNull(openApi["paths"]?["/workspaces/{ws}/private-endpoints/{name}"]);
        Assert.NotNull(openApi["paths"]?["/workspaces/{ws}/service-tags/import"]);
    }

    [Fact]
    public async Task NsgRuleVerbs_EditOneRuleOfTheGroup()
    {
        var cli = await shared.WorkspaceAsync("nsg-rules");
        await cli.OkAsync("network", "nsg", "create", "-n", "nsg1");

        var rule = (await cli.OkAsync("network", "nsg", "rule", "create", "--nsg-name", "nsg1", "-n", "https", "--priority", "200", "--protocol", "tcp",
            "--source-address-prefixes", "10.0.0.0/24", "10.0.1.0/24", "--destination-port-ranges", "443", "8443")).Json();
        await cli.OkAsync("network", "nsg", "rule", "create", "--nsg-name", "nsg1", "-n", "ssh", "--priority", "210", "--access", "Deny", "--destination-port-ranges", "22");
        var clash = await cli.RunAsync("network", "nsg", "rule", "create", "--nsg-name", "nsg1", "-n", "dns", "--priority", "200", "--protocol", "Udp", "--destination-port-ranges", "53");
        var listed = (await cli.OkAsync("network", "nsg", "rule", "list", "--nsg-name", "nsg1", "-o", "json")).Json().AsArray();
        await cli.OkAsync("network", "nsg", "rule", "delete", "--nsg-name", "nsg1", "-n", "ssh");

        Assert.Equal(("Tcp", "Allow", "Inbound"), (At(rule, "protocol"), At(rule, "access"), At(rule, "direction")));
        Assert.Equal("[\"10.0.0.0/24\",\"10.0.1.0/24\"]", At(rule, "source_address_prefixes"));
        Assert.Equal("[\"*\"]", At(rule, "destination_address_prefixes"));
        Assert.Equal("[\"443\",\"8443\"]", At(rule, "destination_port_ranges"));
        Assert.True(clash.ExitCode == ExitCodes.Invalid, clash.ToString());
        Assert.Contains("security_rules[2].priority: 200 is already used by Inbound rule 'https' (security_rules[0]); priorities are unique per direction", clash.Error, StringComparison.Ordinal);
        Assert.Equal(["https", "ssh"], listed.Select(r => (string)r!["name"]!));
        var shown = (await cli.OkAsync("network", "nsg", "show", "-n", "nsg1")).Json();
        Assert.Equal(["https"], shown["security_rules"]!.AsArray().Select(r => (string)r!["name"]!));
        var gone = await cli.RunAsync("network", "nsg", "rule", "show", "--nsg-name", "nsg1", "-n", "ssh");
        Assert.True(gone.ExitCode == ExitCodes.Invalid, gone.ToString());
        Assert.Contains("Network security group 'nsg1' has no rule 'ssh'.", gone.Error, StringComparison.Ordinal);
    }
}
