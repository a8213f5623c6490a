using System.Net;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Sluice.IntegrationTests.Infrastructure;
using static Sluice.IntegrationTests.Infrastructure.SampleSpecs;

namespace Sluice.IntegrationTests.Network;

/// <summary>
/// The questions asked of a modelled network (verify-flow, effective-rules, next-hop, lint) through the CLI and the
/// REST API. Each test builds the same small network in its own workspace: compute and endpoint subnets, a security
/// group that denies the storage account's public address, a route table that sends everything to an appliance, and
/// a storage account with a private endpoint for blob only.
/// </summary>
public sealed class NetworkQuestionTests(SharedServer shared) : IClassFixture<SharedServer>
{
    private const string Network = """
        type: network_security_group
        name: nsg-compute
        security_rules:
          - name: deny-storage-public
            priority: 200
            direction: Outbound
            access: Deny
            protocol: Tcp
            source_address_prefix: "*"
            destination_address_prefix: 20.60.0.0/16
            destination_port_range: "443"
          - name: allow-web
            priority: 300
            direction: Inbound
            access: Allow
            protocol: Tcp
            source_address_prefix: "*"
            destination_address_prefix: "*"
            destination_port_range: "443"
          - name: deny-lab-https
            priority: 310
            direction: Inbound
            access: Deny
            protocol: Tcp
            source_address_prefix: 192.0.2.0/24
            destination_address_prefix: "*"
            destination_port_range: "443"
          - name: deny-ssh
            priority: 320
            direction: Inbound
            access: Deny
            protocol: Tcp
            source_address_prefix: "*"
            destination_address_prefix: "*"
            destination_port_range: "22"
        ---
        type: route_table
        name: rt-compute
        routes:
          - name: to-firewall
            address_prefix: 0.0.0.0/0
            next_hop_type: VirtualAppliance
            next_hop_ip_address: 10.0.0.4
        ---
        type: virtual_network
        name: vnet1
        address_space: [10.0.0.0/16]
        subnets:
          - name: appliances
            address_prefix: 10.0.0.0/24
          - name: compute
            address_prefix: 10.0.1.0/24
            network_security_group: nsg-compute
            route_table: rt-compute
          - name: endpoints
            address_prefix: 10.0.2.0/24
        ---
        type: network_interface
        name: fw-nic
        subnet: vnet1/appliances
        private_ip_address: 10.0.0.4
        enable_ip_forwarding: true
        ---
        type: network_interface
        name: vm1-nic
        subnet: vnet1/compute
        private_ip_address: 10.0.1.10
        ---
        type: storage_account
        name: mystorage
        public_address: 20.60.1.5
        network_rule_set:
          default_action: Deny
          ip_rules: [203.0.113.0/24]
        ---
        type: private_endpoint
        name: pe-blob
        subnet: vnet1/endpoints
        private_link_service_connection:
          target: storage_account:mystorage
          group_id: blob
        """;

    [Fact]
    public async Task VerifyFlow_ToAStorageAccount_ResolvesToItsBlobEndpointAndIsDelivered()
    {
        var cli = await NetworkAsync("q-verify-pe");

        var verdict = (await cli.OkAsync("network", "verify-flow", "--source", "vm1-nic", "--destination", "storage-account:mystorage", "-o", "json")).Json();

        Assert.Equal(("Allow", "Delivered"), (At(verdict, "access"), At(verdict, "outcome")));
        Assert.Equal(("10.0.2.4", "private_endpoint", "pe-blob"), (At(verdict, "destination.ip_address"), At(verdict, "destination.resolved_via"), At(verdict, "destination.private_endpoint")));
        Assert.Equal(("storage_account:mystorage", "blob", "mystorage.blob.core.windows.net"), (At(verdict, "destination.resource"), At(verdict, "destination.group_id"), At(verdict, "destination.fqdn")));
        Assert.Equal("443", At(verdict, "destination_port"));
        Assert.Equal(("10.0.2.4/32", "InterfaceEndpoint", "system"), (At(verdict, "route.address_prefix"), At(verdict, "route.next_hop_type"), At(verdict, "route.source")));
        Assert.Equal("pe-blob", At(verdict, "destination_resource"));
        Assert.Equal(("nsg-compute", "AllowVnetOutBound", "subnet", "true"), (At(verdict, "deciding_rule.network_security_group"), At(verdict, "deciding_rule.rule"), At(verdict, "deciding_rule.level"), At(verdict, "deciding_rule.is_default")));
        var decisions = verdict["security_decisions"]!.AsArray();
        Assert.Equal(["Outbound nic vm1-nic", "Outbound subnet vnet1/compute", "Inbound subnet vnet1/endpoints"], decisions.Select(d => $"{At(d, "direction")} {At(d, "level")} {At(d, "associated_with")}"));
        var explanation = Lines(verdict["explanation"]);
        Assert.Contains(explanation, l => l.Contains("storage-account:mystorage (mystorage.blob.core.windows.net) resolves to 10.0.2.4, the address of private endpoint pe-blob", StringComparison.Ordinal) && l.Contains("approved", StringComparison.Ordinal));
        Assert.Contains(explanation, l => l.Contains("do not apply to traffic through a private endpoint", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyFlow_ToASubResourceWithoutEndpoint_UsesThePublicAddressAndIsDeniedByTheNamedRule()
    {
        var cli = await NetworkAsync("q-verify-deny");

        var verdict = (await cli.OkAsync("network", "verify-flow", "--source", "10.0.1.10", "--destination", "storage-account:mystorage:file", "--port", "443", "-o", "json")).Json();
        var table = await cli.OkAsync("network", "verify-flow", "--source", "vm1-nic", "--destination", "storage-account:mystorage:file", "--port", "443");

        Assert.Equal(("Deny", "DeniedBySecurityRule"), (At(verdict, "access"), At(verdict, "outcome")));
        Assert.Equal(("vm1-nic", "vnet1/compute"), (At(verdict, "source.network_interface"), At(verdict, "source.subnet")));
        Assert.Equal(("20.60.1.5", "public_address"), (At(verdict, "destination.ip_address"), At(verdict, "destination.resolved_via")));
        Assert.Equal(("deny-storage-public", "200", "subnet", "vnet1/compute", "false"), (At(verdict, "deciding_rule.rule"), At(verdict, "deciding_rule.priority"), At(verdict, "deciding_rule.level"), At(verdict, "deciding_rule.associated_with"), At(verdict, "deciding_rule.is_default")));
        Assert.Equal(("0.0.0.0/0", "VirtualAppliance", "10.0.0.4", "user", "to-firewall"), (At(verdict, "route.address_prefix"), At(verdict, "route.next_hop_type"), At(verdict, "route.next_hop_ip_address"), At(verdict, "route.source"), At(verdict, "route.name")));
        Assert.Contains(Lines(verdict["explanation"]), l => l.Contains("public address 20.60.1.5 of storage account mystorage, because no private endpoint connects to file", StringComparison.Ordinal));
        Assert.StartsWith("Deny (DeniedBySecurityRule)", table.Out, StringComparison.Ordinal);
        Assert.Contains("nsg-compute/deny-storage-public (priority 200; Outbound at subnet vnet1/compute): Deny", table.Out, StringComparison.Ordinal);
        Assert.Contains("Explanation", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFlow_HostNames_ResolveThroughTheEndpointsDnsRecordElseToThePublicAddress()
    {
        var cli = await NetworkAsync("q-verify-dns");

        var blob = (await cli.OkAsync("network", "verify-flow", "--source", "vm1-nic", "--destination", "mystorage.blob.core.windows.net", "-o", "json")).Json();
        var alias = (await cli.OkAsync("network", "verify-flow", "--source", "vm1-nic", "--destination", "mystorage.privatelink.blob.core.windows.net", "-o", "json")).Json();
        var queue = (await cli.OkAsync("network", "verify-flow", "--source", "vm1-nic", "--destination", "mystorage.queue.core.windows.net", "-o", "json")).Json();

        Assert.Equal(("10.0.2.4", "Delivered"), (At(blob, "destination.ip_address"), At(blob, "outcome")));
        Assert.Equal("10.0.2.4", At(alias, "destination.ip_address"));
        Assert.Equal(("20.60.1.5", "queue", "Deny"), (At(queue, "destination.ip_address"), At(queue, "destination.group_id"), At(queue, "access")));
    }

    [Fact]
    public async Task VerifyFlow_FromOutside_ToAPublicService_IsJudgedByTheServiceFirewall()
    {
        var cli = await NetworkAsync("q-verify-firewall");

        var listed = (await cli.OkAsync("network", "verify-flow", "--source", "203.0.113.9", "--destination", "storage-account:mystorage", "-o", "json")).Json();
        var unlisted = (await cli.OkAsync("network", "verify-flow", "--source", "198.51.100.7", "--destination", "storage-account:mystorage", "-o", "json")).Json();

        Assert.Equal(("Allow", "ReachedService", "true"), (At(listed, "access"), At(listed, "outcome"), At(listed, "source.external")));
        Assert.Equal(("20.60.1.5", "public_address"), (At(listed, "destination.ip_address"), At(listed, "destination.resolved_via")));
        Assert.Contains("private endpoint pe-blob answers only inside virtual network vnet1", Lines(listed["explanation"])[0], StringComparison.Ordinal);
        Assert.Equal(("storage_account:mystorage", "Allow"), (At(listed, "service_access.resource"), At(listed, "service_access.access")));
        Assert.Contains("IP rule 203.0.113.0/24", At(listed, "service_access.reason"), StringComparison.Ordinal);
        Assert.Equal(("Deny", "DeniedByService", "Deny"), (At(unlisted, "access"), At(unlisted, "outcome"), At(unlisted, "service_access.access")));
        Assert.Contains("no IP rule admits 198.51.100.7", At(unlisted, "service_access.reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyFlow_Inbound_ChecksTheRulesAtTheDestinationInterface()
    {
        var cli = await NetworkAsync("q-verify-inbound");

        var https = (await cli.OkAsync("network", "verify-flow", "--direction", "Inbound", "--source", "198.51.100.7", "--destination", "nic:vm1-nic", "--port", "443", "-o", "json")).Json();
        var lab = (await cli.OkAsync("network", "verify-flow", "--direction", "inbound", "--source", "192.0.2.10", "--destination", "10.0.1.10", "--port", "443", "-o", "json")).Json();
        var ssh = (await cli.OkAsync("network", "verify-flow", "--direction", "Inbound", "--source", "198.51.100.7", "--destination", "vm1-nic", "--port", "22", "-o", "json")).Json();
        var other = (await cli.OkAsync("network", "verify-flow", "--direction", "Inbound", "--source", "198.51.100.7", "--destination", "vm1-nic", "--port", "8080", "-o", "json")).Json();
        var toService = await cli.RunAsync("network", "verify-flow", "--direction", "Inbound", "--source", "198.51.100.7", "--destination", "storage-account:mystorage");

        Assert.Equal(("Allow", "AllowedBySecurityRules", "allow-web", "Inbound"), (At(https, "access"), At(https, "outcome"), At(https, "deciding_rule.rule"), At(https, "direction")));
        Assert.Equal(["Inbound subnet vnet1/compute", "Inbound nic vm1-nic"], https["security_decisions"]!.AsArray().Select(d => $"{At(d, "direction")} {At(d, "level")} {At(d, "associated_with")}"));
        Assert.Null(https["route"]);
        Assert.Equal("allow-web", At(lab, "deciding_rule.rule"));
        Assert.Equal(("Deny", "DeniedBySecurityRule", "deny-ssh", "320", "false"), (At(ssh, "access"), At(ssh, "outcome"), At(ssh, "deciding_rule.rule"), At(ssh, "deciding_rule.priority"), At(ssh, "deciding_rule.is_default")));

        // As in Azure, a user route's prefix joins the VirtualNetwork tag: with 0.0.0.0/0 to the appliance, the default
        // AllowVnetInBound admits every source.
        Assert.Equal(("Allow", "AllowVnetInBound", "true"), (At(other, "access"), At(other, "deciding_rule.rule"), At(other, "deciding_rule.is_default")));
        Assert.True(toService.ExitCode == ExitCodes.Invalid, toService.ToString());
        Assert.Contains("Inbound checks the security rules at an interface", toService.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextHop_IsTheApplianceForTheInternet_AndInterfaceEndpointForTheEndpoint()
    {
        var cli = await NetworkAsync("q-next-hop");

        var internet = (await cli.OkAsync("network", "next-hop", "--source", "vm1-nic", "--destination", "8.8.8.8", "-o", "json")).Json();
        var endpoint = (await cli.OkAsync("network", "next-hop", "--source", "vnet1/compute", "--destination", "10.0.2.4", "-o", "json")).Json();
        var table = await cli.OkAsync("network", "next-hop", "--source", "vm1-nic", "--destination", "8.8.8.8", "--all");
        var routesOnly = (await cli.OkAsync("network", "next-hop", "--source", "vm1-nic", "--all", "-o", "json")).Json();

        Assert.Equal(("VirtualAppliance", "10.0.0.4", "rt-compute"), (At(internet, "next_hop_type"), At(internet, "next_hop_ip_address"), At(internet, "route_table")));
        Assert.Equal(("to-firewall", "user"), (At(internet, "route.name"), At(internet, "route.source")));
        var chosen = internet["effective_routes"]!.AsArray().Where(r => At(r, "chosen") == "true").ToList();
        Assert.Equal("0.0.0.0/0", At(Assert.Single(chosen), "address_prefix"));
        Assert.Contains(internet["effective_routes"]!.AsArray(), r => At(r, "address_prefix") == "0.0.0.0/0" && At(r, "source") == "system" && At(r, "state") == "Invalid");
        Assert.Equal(("InterfaceEndpoint", "10.0.2.4/32", "pe-blob"), (At(endpoint, "next_hop_type"), At(endpoint, "route.address_prefix"), At(endpoint, "route.target")));
        Assert.Null(endpoint["route_table"]);
        Assert.Contains("VirtualAppliance", table.Out, StringComparison.Ordinal);
        Assert.Contains("to-firewall", table.Out, StringComparison.Ordinal);
        Assert.Contains("overridden by user route 0.0.0.0/0 'to-firewall'", table.Out, StringComparison.Ordinal);
        Assert.Equal(("vnet1", "compute", "rt-compute"), (At(routesOnly, "virtual_network"), At(routesOnly, "subnet"), At(routesOnly, "route_table")));
        Assert.Contains(routesOnly["value"]!.AsArray(), r => At(r, "next_hop_type") == "InterfaceEndpoint" && At(r, "state") == "Active");
    }

    [Fact]
    public async Task Compute_IsItsSubnetForRoutes_ButNotAFlowSourceUntilItsNodesHaveAddresses()
    {
        var cli = await NetworkAsync("q-compute");
        using var folder = new TempFolder("network");
        await cli.OkAsync("compute", "create", "-f", Compute(folder, "cpu-cluster"), "--set", "network_settings={vnet_name: vnet1, subnet: compute}");

        var hop = (await cli.OkAsync("network", "next-hop", "--source", "cpu-cluster", "--destination", "8.8.8.8", "-o", "json")).Json();
        var node = await cli.RunAsync("network", "verify-flow", "--source", "cpu-cluster/node-0", "--destination", "storage-account:mystorage");

        Assert.Equal(("cpu-cluster", "vnet1/compute", "VirtualAppliance"), (At(hop, "source.compute"), At(hop, "source.subnet"), At(hop, "next_hop_type")));
        Assert.True(node.ExitCode == ExitCodes.Invalid, node.ToString());
        Assert.Contains("error: Node 'cpu-cluster/node-0' was not found: the nodes of compute 'cpu-cluster' have no addresses in the model yet", node.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EffectiveRules_ListEachLevelInOrder_WithDefaultRulesAndTagsExpanded()
    {
        var cli = await NetworkAsync("q-effective-rules");

        var nic = (await cli.OkAsync("network", "effective-rules", "--nic", "vm1-nic", "-o", "json")).Json();
        var subnet = (await cli.OkAsync("network", "effective-rules", "--vnet", "vnet1", "--subnet", "compute", "-o", "json")).Json();
        var table = await cli.OkAsync("network", "effective-rules", "--nic", "vm1-nic");

        var inbound = nic["inbound"]!.AsArray();
        Assert.Equal(["subnet vnet1/compute nsg-compute", "nic vm1-nic "], inbound.Select(l => $"{At(l, "level")} {At(l, "associated_with")} {At(l, "network_security_group")}"));
        Assert.Equal(["nic vm1-nic", "subnet vnet1/compute"], nic["outbound"]!.AsArray().Select(l => $"{At(l, "level")} {At(l, "associated_with")}"));
        var rules = inbound[0]!["rules"]!.AsArray();
        Assert.Equal(["allow-web", "deny-lab-https", "deny-ssh", "AllowVnetInBound", "AllowAzureLoadBalancerInBound", "DenyAllInBound"], rules.Select(r => At(r, "name")));
        var vnetRule = rules.Single(r => At(r, "name") == "AllowVnetInBound")!;
        Assert.Equal(("true", "65000", "*"), (At(vnetRule, "is_default"), At(vnetRule, "priority"), At(vnetRule, "protocol")));
        Assert.Equal(["VirtualNetwork"], Lines(vnetRule["source_expanded_from"]));
        Assert.Equal(["0.0.0.0/0"], Lines(vnetRule["source_address_prefixes"]));
        var balancer = rules.Single(r => At(r, "name") == "AllowAzureLoadBalancerInBound")!;
        Assert.Equal(["AzureLoadBalancer"], Lines(balancer["source_expanded_from"]));
        Assert.Equal(["168.63.129.16/32"], Lines(balancer["source_address_prefixes"]));
        Assert.Equal(["443"], Lines(rules[0]!["destination_port_ranges"]));
        Assert.Null(subnet["network_interface"]);
        Assert.Single(subnet["inbound"]!.AsArray());
        Assert.Contains("AllowVnetInBound", table.Out, StringComparison.Ordinal);
        Assert.Contains("VirtualNetwork: ", table.Out, StringComparison.Ordinal);
        Assert.Contains("Inbound, nic vm1-nic: no network security group, all traffic passes this level.", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_ReportsTheShadowedRuleWithItsBlockingRule_AndFailsOnlyWhenAsked()
    {
        var cli = await NetworkAsync("q-lint");

        var report = (await cli.OkAsync("network", "lint", "-o", "json")).Json();
        var table = await cli.OkAsync("network", "lint", "--nsg", "nsg-compute");
        var strict = await cli.RunAsync("network", "lint", "--fail-on-findings");

        var group = Assert.Single(report["value"]!.AsArray())!;
        var finding = Assert.Single(group["findings"]!.AsArray(), f => At(f, "rule") == "deny-lab-https")!;
        Assert.Equal(("unreachable", "Inbound", "310"), (At(finding, "kind"), At(finding, "direction"), At(finding, "priority")));
        Assert.Equal(["allow-web"], Lines(finding["blocking_rules"]));
        Assert.Contains("overridden", At(finding, "reason"), StringComparison.Ordinal);
        Assert.Equal(At(report, "finding_count"), At(group, "finding_count"));
        Assert.Contains("deny-lab-https", table.Out, StringComparison.Ordinal);
        Assert.Contains("allow-web", table.Out, StringComparison.Ordinal);
        Assert.True(strict.ExitCode == ExitCodes.Findings, strict.ToString());

        await cli.OkAsync("network", "nsg", "rule", "delete", "--nsg-name", "nsg-compute", "-n", "deny-lab-https");
        var clean = await cli.OkAsync("network", "lint", "--fail-on-findings");
        Assert.Contains("No findings in 1 network security group.", clean.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownNames_Are404sListingWhatExists()
    {
        var cli = await NetworkAsync("q-not-found");
        using var api = new RawApi(shared.Url);

        var source = await cli.RunAsync("network", "verify-flow", "--source", "vm9-nic", "--destination", "8.8.8.8", "--port", "443");
        var storage = await cli.RunAsync("network", "verify-flow", "--source", "vm1-nic", "--destination", "storage-account:otherstorage");
        var nic = await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/workspaces/q-not-found/network/effective-rules?nic=vm9-nic");
        var subnet = await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/workspaces/q-not-found/network/effective-routes?virtual_network=vnet1&subnet=nodes");
        var nsg = await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/workspaces/q-not-found/network/lint?network_security_group=nsg-x");
        var host = await api.ProblemAsync(HttpStatusCode.NotFound, HttpMethod.Get, "/workspaces/q-not-found/network/next-hop?source=vm1-nic&destination=nowhere.example.com");

        Assert.True(source.ExitCode == ExitCodes.Invalid, source.ToString());
        Assert.Contains("error: No network interface or compute is named 'vm9-nic'; interfaces: fw-nic, vm1-nic.", source.Error, StringComparison.Ordinal);
        Assert.Contains("Storage account otherstorage was not found; storage accounts: mystorage.", storage.Error, StringComparison.Ordinal);
        Assert.Contains("Network interface 'vm9-nic' was not found; interfaces: fw-nic, vm1-nic.", At(nic, "detail"), StringComparison.Ordinal);
        Assert.Contains("Virtual network 'vnet1' has no subnet 'nodes'; its subnets: appliances, compute, endpoints.", At(subnet, "detail"), StringComparison.Ordinal);
        Assert.Contains("Network security group 'nsg-x' was not found in workspace 'q-not-found'; its groups: nsg-compute.", At(nsg, "detail"), StringComparison.Ordinal);
        Assert.Contains("mystorage.blob.core.windows.net", At(host, "detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedAddressesAndPorts_Are400sNamingTheField()
    {
        await NetworkAsync("q-bad-input");
        using var api = new RawApi(shared.Url);

        var body = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/workspaces/q-bad-input/network/verify-flow",
            RawApi.Json("""{"source": "vm1-nic", "destination": "8.8.8.8", "destination_port": 70000, "protocol": "Sctp", "colour": "blue"}"""));
        var address = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/workspaces/q-bad-input/network/verify-flow",
            RawApi.Json("""{"source": "vm1-nic", "destination": "10.0.1.300", "destination_port": 443}"""));
        var noPort = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/workspaces/q-bad-input/network/verify-flow",
            RawApi.Json("""{"source": "vm1-nic", "destination": "8.8.8.8"}"""));
        var hop = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/workspaces/q-bad-input/network/next-hop?source=vm1-nic&destination=10.0.0.256");
        var place = await api.ProblemAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/workspaces/q-bad-input/network/effective-rules?virtual_network=vnet1");

        Assert.Equal(["colour", "destination_port", "protocol"], body["errors"]!.AsArray().Select(e => At(e, "key")).Order(StringComparer.Ordinal));
        Assert.Contains("70000 is not a port; ports are whole numbers from 0 to 65535", At(body, "detail"), StringComparison.Ordinal);
        Assert.Equal("destination: '10.0.1.300' is not an IP address; write four numbers from 0 to 255, e.g. 10.0.0.4", At(address, "detail"));
        Assert.Equal("destination", At(address["errors"]![0], "key"));
        Assert.Equal("destination_port: is required for Tcp flows (the port the destination listens on)", At(noPort, "detail"));
        Assert.StartsWith("destination: ", At(hop, "detail"), StringComparison.Ordinal);
        Assert.Equal(["subnet"], place["errors"]!.AsArray().Select(e => At(e, "key")));
    }

    [Fact]
    public async Task Questions_OnANetworkThatDoesNotBuild_Are409ListingEveryError()
    {
        var cli = await shared.WorkspaceAsync("q-broken");
        using var folder = new TempFolder("network");
        await cli.OkAsync("network", "nsg", "create", "-n", "nsg-far", "--location", "westeurope");
        await cli.OkAsync("network", "vnet", "create", "-f", folder.Write("vnet.yml", "type: virtual_network\nname: vnet1\naddress_space: [10.0.0.0/16]\nsubnets:\n  - name: compute\n    address_prefix: 10.0.1.0/24\n"));
        await cli.OkAsync("network", "nic", "create", "-f", folder.Write("nic.yml", "type: network_interface\nname: vm1-nic\nsubnet: vnet1/compute\nnetwork_security_group: nsg-far\n"));
        using var api = new RawApi(shared.Url);

        var problem = await api.ProblemAsync(HttpStatusCode.Conflict, HttpMethod.Get, "/workspaces/q-broken/network/lint");
        var viaCli = await cli.RunAsync("network", "effective-rules", "--nic", "vm1-nic");

        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal("network_interfaces[vm1-nic].network_security_group", At(error, "key"));
        Assert.Contains("is in westeurope but the interface's virtual network 'vnet1' is in local", At(error, "message"), StringComparison.Ordinal);
        Assert.Contains("fix the resources the paths name", At(problem, "hint"), StringComparison.Ordinal);
        Assert.True(viaCli.ExitCode == ExitCodes.Invalid, viaCli.ToString());
        Assert.Contains("cannot be evaluated", viaCli.Error, StringComparison.Ordinal);
    }

    /// <summary>Creates a workspace and the test network in it, resource by resource, as a user would.</summary>
    private async Task<CliDriver> NetworkAsync(string workspace)
    {
        var cli = await shared.WorkspaceAsync(workspace);
        using var folder = new TempFolder("network");
        var file = folder.Write("network.yml", Network);
        await cli.OkAsync("network", "nsg", "create", "-f", file);
        await cli.OkAsync("network", "route-table", "create", "-f", file);
        await cli.OkAsync("network", "vnet", "create", "-f", file);
        await cli.OkAsync("network", "nic", "create", "-f", file, "-n", "fw-nic");
        await cli.OkAsync("network", "nic", "create", "-f", file, "-n", "vm1-nic");
        await cli.OkAsync("storage-account", "create", "-f", file);
        await cli.OkAsync("network", "private-endpoint", "create", "-f", file);
        return cli;
    }

    private static List<string> Lines(JsonNode? list) => [.. (list as JsonArray ?? []).Select(v => (string?)v ?? string.Empty)];
}
