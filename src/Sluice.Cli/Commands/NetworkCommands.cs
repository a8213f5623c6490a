using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Sluice.Cli.Specs;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;

namespace Sluice.Cli.Commands;

/// <summary>
/// <c>sluice network …</c>, mirroring <c>az network</c>: vnet, nsg (with <c>nsg rule</c>), route-table, nat-gateway,
/// asg, nic, private-endpoint and service-tag; and the services networks reach, as top-level groups the way
/// <c>az storage account</c>, <c>az keyvault</c> and <c>az acr</c> are: storage-account, secret-store, registry.
/// </summary>
internal static class NetworkCommands
{
    public static Command Build(CliContext context)
    {
        var group = new Command("network", "Manage network resources: virtual networks, security groups, routes, interfaces, private endpoints and service tags (as 'az network').");
        group.Subcommands.Add(Resource(context, ResourceKind.VirtualNetwork, "vnet", "Manage virtual networks and their subnets and peerings.",
            [new("name", "name"), new("location", "location"), new("address space", "address_space"), new("subnets", "subnet_names"), new("peerings", "peering_states")],
            item =>
            {
                item["subnet_names"] = string.Join(", ", (item["subnets"] as JsonArray ?? []).Select(s => (string?)s?["name"]));
                item["address_space"] = Joined(item["address_space"]);
                item["peering_states"] = string.Join(", ", (item["peering_states"] as JsonObject ?? []).Select(p => $"{p.Key}: {(string?)p.Value}"));
            }));
        var nsg = Resource(context, ResourceKind.NetworkSecurityGroup, "nsg", "Manage network security groups.",
            [new("name", "name"), new("location", "location"), new("rules", "rule_count"), new("description", "description")],
            item => item["rule_count"] = (item["security_rules"] as JsonArray)?.Count ?? 0);
        nsg.Subcommands.Add(NsgRuleCommands.Build(context));
        group.Subcommands.Add(nsg);
        group.Subcommands.Add(Resource(context, ResourceKind.RouteTable, "route-table", "Manage route tables.",
            [new("name", "name"), new("location", "location"), new("routes", "route_count"), new("bgp propagation disabled", "disable_bgp_route_propagation")],
            item => item["route_count"] = (item["routes"] as JsonArray)?.Count ?? 0));
        group.Subcommands.Add(Resource(context, ResourceKind.NatGateway, "nat-gateway", "Manage NAT gateways.",
            [new("name", "name"), new("location", "location"), new("public addresses", "public_ip_addresses"), new("idle timeout (min)", "idle_timeout_in_minutes")],
            item => item["public_ip_addresses"] = Joined(item["public_ip_addresses"])));
        group.Subcommands.Add(Resource(context, ResourceKind.ApplicationSecurityGroup, "asg", "Manage application security groups.",
            [new("name", "name"), new("location", "location"), new("description", "description")]));
        group.Subcommands.Add(Resource(context, ResourceKind.NetworkInterface, "nic", "Manage network interfaces: addressable machines in a subnet.",
            [new("name", "name"), new("subnet", "subnet"), new("private address", "private_ip_address"), new("nsg", "network_security_group"), new("asgs", "application_security_groups")],
            item => item["application_security_groups"] = Joined(item["application_security_groups"])));
        group.Subcommands.Add(Resource(context, ResourceKind.PrivateEndpoint, "private-endpoint", "Manage private endpoints.",
            [new("name", "name"), new("subnet", "subnet"), new("private addresses", "private_ip_addresses"), new("target", "private_link_service_connection.target"), new("group", "private_link_service_connection.group_id"), new("status", "private_link_service_connection.status")],
            item => item["private_ip_addresses"] = Joined(item["private_ip_addresses"])));
        group.Subcommands.Add(ServiceTagCommands.Build(context));
        NetworkQuestionCommands.AddTo(group, context);
        return group;
    }

    public static Command BuildStorageAccount(CliContext context) =>
        Resource(context, ResourceKind.StorageAccount, "storage-account", "Manage storage accounts' network settings: public access, public address, firewall (as 'az storage account').",
            [new("name", "name"), new("location", "location"), new("public access", "public_network_access"), new("public address", "public_address"), new("default action", "network_rule_set.default_action")]);

    public static Command BuildSecretStore(CliContext context) =>
        Resource(context, ResourceKind.SecretStore, "secret-store", "Manage secret stores (Azure Key Vault's counterpart, as 'az keyvault'): public access, public address, firewall.",
            [new("name", "name"), new("location", "location"), new("public access", "public_network_access"), new("public address", "public_address"), new("default action", "network_acls.default_action")]);

    public static Command BuildRegistry(CliContext context) =>
        Resource(context, ResourceKind.Registry, "registry", "Manage container registries (as 'az acr'; not Azure ML asset registries): public access, public address, quarantine.",
            [new("name", "name"), new("location", "location"), new("public access", "public_network_access"), new("public address", "public_address"), new("quarantine", "quarantine")]);

    /// <summary>create/show/list/update/delete for one kind, routed at its collection.</summary>
    internal static Command Resource(CliContext context, ResourceKind kind, string name, string description, Column[] columns, Action<JsonObject>? decorate = null)
    {
        var group = new Command(name, description);
        var what = kind.DisplayName();
        var collection = Collection(kind);

        var file = CommonOptions.File();
        var createName = CommonOptions.Name(required: false, what);
        var location = new Option<string?>("--location", "-l") { Description = "The location (default: the workspace's, else 'local')." };
        var set = CommonOptions.Set();
        var create = new Command("create", $"Create or update a {what} from a YAML file (type: {kind.NetworkTypeName()}) or from -n and --set. In a file of several documents, -n picks the one of that name.") { file, createName, set };
        if (kind != ResourceKind.ServiceTag)
        {
            create.Options.Add(location);
        }

        create.Run(context, (parse, ct) =>
        {
            var spec = SpecFiles.FromFileOrOptions<NetworkResourceSpec>(context, parse.GetValue(file), kind.ToDocumentKind(), parse.GetValue(set)!,
                [("name", parse.GetValue(createName)), ("location", parse.GetValue(location))]);
            return ResourceVerbs.PutAsync(context, parse, context.Client(parse).W(collection, spec.Name), spec, ct);
        });

        var showName = CommonOptions.Name(what: what);
        var show = new Command("show", $"Show a {what}.") { showName };
        show.Run(context, (parse, ct) => ResourceVerbs.ShowAsync(context, parse, context.Client(parse).W(collection, parse.GetValue(showName)!), ct));

        var list = new Command("list", $"List {what}s.");
        list.Run(context, async (parse, ct) =>
        {
            var result = await context.Client(parse).GetAsync(context.Client(parse).W(collection), ct);
            var items = result["value"]?.AsArray() ?? [];
            var format = GlobalOptions.FormatOf(parse, OutputFormat.Table);
            if (decorate is not null && format == OutputFormat.Table)
            {
                foreach (var item in items.OfType<JsonObject>())
                {
                    decorate(item);
                }
            }

            Output.List(context, items, format, columns);
            return ExitCodes.Success;
        });

        var updateName = CommonOptions.Name(what: what);
        var updateSet = CommonOptions.Set();
        var update = new Command("update", $"Update a {what} with --set key=value (lists in flow syntax: --set 'address_space=[10.0.0.0/16]').") { updateName, updateSet };
        update.Run(context, async (parse, ct) =>
        {
            var path = context.Client(parse).W(collection, parse.GetValue(updateName)!);
            var spec = await ResourceVerbs.FetchAndOverrideAsync<NetworkResourceSpec>(context, parse, path, kind.ToDocumentKind(), parse.GetValue(updateSet)!, ct);
            return await ResourceVerbs.PutAsync(context, parse, path, spec, ct);
        });

        var deleteName = CommonOptions.Name(what: what);
        var yes = CommonOptions.Yes();
        var delete = new Command("delete", $"Delete a {what} (refused while other resources refer to it).") { deleteName, yes };
        delete.Run(context, (parse, ct) => ResourceVerbs.DeleteAsync(context, parse, context.Client(parse).W(collection, parse.GetValue(deleteName)!), ResourceVerbs.Named(what, parse.GetValue(deleteName)!), parse.GetValue(yes), ct));

        group.Subcommands.Add(create);
        group.Subcommands.Add(show);
        group.Subcommands.Add(list);
        group.Subcommands.Add(update);
        group.Subcommands.Add(delete);
        return group;
    }

    /// <summary>A list of text values as one cell of a table.</summary>
    internal static string Joined(JsonNode? list) => string.Join(", ", (list as JsonArray ?? []).Select(v => (string?)v));

    /// <summary>The REST collection of a kind (as the server routes it).</summary>
    internal static string Collection(ResourceKind kind) => kind == ResourceKind.Registry
        ? "registries"
        : Core.Yaml.SnakeCase.From(kind.ToString()).Replace('_', '-') + "s";
}
