using Sluice.Network.Addressing;
using Sluice.Network.Diagnostics;
using Sluice.Network.Model;
using Sluice.Network.Tags;
using Sluice.Network.Tests.TestSupport;
using static Sluice.Network.Tests.TestSupport.Net;

namespace Sluice.Network.Tests.Diagnostics;

/// <summary>
/// A private workspace in westeurope that passes every check: network <c>vnet</c> (10.0.0.0/16) with subnet
/// <c>compute</c> (10.0.1.0/24, group <c>nsg-compute</c>) for cluster <c>cpu</c> and subnet <c>endpoints</c>
/// (10.0.2.0/24) with approved private endpoints to the workspace, storage account <c>wsstore</c> (blob, file, queue,
/// table), secret store <c>wskv</c> and registry <c>wsacr</c>. Tests change one thing and diagnose.
/// </summary>
internal sealed class DiagnosisScenario
{
    public const string ControlPlaneAddress = "198.51.100.10";

    public List<Subnet> Subnets { get; } =
    [
        Subnet("compute", "10.0.1.0/24", nsg: "nsg-compute"),
        Subnet("endpoints", "10.0.2.0/24"),
        Subnet("appliances", "10.0.3.0/24"),
    ];

    public List<SecurityRule> ComputeRules { get; } =
    [
        Rule.Allow("allow-batch-management", 100, src: "BatchNodeManagement.WestEurope", dst: "VirtualNetwork", dstPorts: "29876-29877", protocol: SecurityRuleProtocol.Tcp),
        Rule.Allow("allow-aml-instances", 110, src: "AzureMachineLearning", dst: "VirtualNetwork", dstPorts: "44224", protocol: SecurityRuleProtocol.Tcp),
        Rule.Allow("allow-sluice-nodes", 120, src: SluiceServiceTags.ControlPlane, dst: "VirtualNetwork", dstPorts: "11111,30000", protocol: SecurityRuleProtocol.Tcp),
    ];

    public List<PrivateEndpoint> Endpoints { get; } =
    [
        Endpoint("pe-ws", "ws", PrivateEndpointGroupId.AmlWorkspace, "10.0.2.4", "ws.workspace.westeurope.api.azureml.ms"),
        Endpoint("pe-blob", "wsstore", PrivateEndpointGroupId.Blob, "10.0.2.5", "wsstore.blob.core.windows.net"),
        Endpoint("pe-file", "wsstore", PrivateEndpointGroupId.File, "10.0.2.6", "wsstore.file.core.windows.net"),
        Endpoint("pe-queue", "wsstore", PrivateEndpointGroupId.Queue, "10.0.2.7", "wsstore.queue.core.windows.net"),
        Endpoint("pe-table", "wsstore", PrivateEndpointGroupId.Table, "10.0.2.8", "wsstore.table.core.windows.net"),
        Endpoint("pe-vault", "wskv", PrivateEndpointGroupId.Vault, "10.0.2.9", "wskv.vault.azure.net"),
        Endpoint("pe-acr", "wsacr", PrivateEndpointGroupId.Registry, "10.0.2.10", "wsacr.azurecr.io", "wsacr.westeurope.data.azurecr.io"),
    ];

    public List<VirtualNetwork> OtherNetworks { get; } = [];

    public List<Peering> Peerings { get; } = [];

    public List<RouteTable> RouteTables { get; } = [];

    public List<NatGateway> NatGateways { get; } = [];

    public List<NetworkInterface> Interfaces { get; } = [];

    public List<ServiceTag> Tags { get; } =
    [
        Tag("BatchNodeManagement", null, "20.50.0.0/16"),
        Tag("BatchNodeManagement.WestEurope", "westeurope", "20.50.1.0/24", "20.50.9.0/24"),
        Tag("AzureMachineLearning", null, "20.51.0.0/24", "20.51.7.0/24"),
        Tag("AzureResourceManager", null, "20.52.0.0/24"),
        Tag("AzureActiveDirectory", null, "20.53.0.0/24"),
        Tag("Storage", null, "20.60.0.0/16"),
        Tag("Storage.WestEurope", "westeurope", "20.60.1.0/24"),
        Tag("AzureContainerRegistry", null, "20.61.0.0/16"),
        Tag("AzureContainerRegistry.WestEurope", "westeurope", "20.61.1.0/24"),
        Tag("MicrosoftContainerRegistry", null, "20.62.0.0/24"),
        Tag("AzureFrontDoor.FirstParty", null, "20.63.0.0/24"),
        .. SluiceServiceTags.Create([$"{ControlPlaneAddress}/32"], [$"{ControlPlaneAddress}/32"]),
    ];

    public WorkspaceFacts Workspace { get; set; } = new()
    {
        Name = "ws",
        Location = Region,
        PublicNetworkAccess = PublicNetworkAccess.Disabled,
        StorageAccount = "wsstore",
        SecretStore = "wskv",
        Registry = "wsacr",
    };

    public StorageAccountFacts Storage { get; set; } = new() { Name = "wsstore", Location = Region, PublicNetworkAccess = PublicNetworkAccess.Disabled, PublicAddress = "20.60.1.50" };

    public SecretStoreFacts SecretStore { get; set; } = new() { Name = "wskv", Location = Region, PublicNetworkAccess = PublicNetworkAccess.Disabled };

    public RegistryFacts Registry { get; set; } = new() { Name = "wsacr", Location = Region, PublicNetworkAccess = PublicNetworkAccess.Disabled };

    public List<ComputeFacts> Computes { get; } =
    [
        new() { Name = "cpu", Kind = ComputeKind.AmlCompute, Location = Region, VirtualNetwork = "vnet", Subnet = "compute", MaxInstances = 4 },
    ];

    public List<BatchEndpointFacts> BatchEndpoints { get; } = [new() { Name = "scoring", NetworkMode = EndpointNetworkMode.Private }];

    public SluiceDeploymentFacts Sluice { get; set; } = new()
    {
        Datastores = [new() { Name = "blobstore", StorageAccount = "wsstore" }, new() { Name = "localstore" }],
    };

    public ComputeFacts Compute
    {
        get => Computes[0];
        set => Computes[0] = value;
    }

    /// <summary>Outbound rules that allow every Azure requirement except <paramref name="except"/> and deny the rest of the internet.</summary>
    public static IEnumerable<SecurityRule> LockedDownOutbound(params string[] except)
    {
        string[] tags = ["AzureActiveDirectory", "AzureMachineLearning", "BatchNodeManagement.WestEurope", "AzureResourceManager", "Storage.WestEurope", "AzureContainerRegistry.WestEurope", "MicrosoftContainerRegistry", "AzureFrontDoor.FirstParty"];
        var priority = 200;
        foreach (var tag in tags.Where(t => !except.Contains(t)))
        {
            yield return Rule.Allow($"allow-{tag.ToLowerInvariant()}", priority, SecurityRuleDirection.Outbound, dst: tag, dstPorts: "443,445,5831");
            priority += 10;
        }

        yield return Rule.Deny("deny-internet-out", 4000, SecurityRuleDirection.Outbound, dst: "Internet");
    }

    public CompiledNetworkAndInput Build()
    {
        var builder = NetworkModel.CreateBuilder()
            .WithServiceTags(ServiceTagSet.Default.With(Tags))
            .Add(Vnet("vnet", "10.0.0.0/16", [.. Subnets]) with { Peerings = [.. Peerings] })
            .Add(Nsg("nsg-compute", [.. ComputeRules]));
        OtherNetworks.ForEach(n => builder.Add(n));
        RouteTables.ForEach(t => builder.Add(t));
        NatGateways.ForEach(n => builder.Add(n));
        Interfaces.ForEach(n => builder.Add(n));
        Endpoints.ForEach(e => builder.Add(e));
        var input = new WorkspaceDiagnosisInput
        {
            Workspace = Workspace,
            StorageAccounts = [Storage],
            SecretStores = [SecretStore],
            Registries = [Registry],
            Computes = [.. Computes],
            BatchEndpoints = [.. BatchEndpoints],
            Sluice = Sluice,
        };
        return new CompiledNetworkAndInput(builder.Build().Compile(), input);
    }

    public WorkspaceDiagnosis Diagnose(DiagnosisRules rules = DiagnosisRules.Azure)
    {
        var (network, input) = Build();
        return WorkspaceDiagnostics.Diagnose(network, input, rules);
    }

    public void ReplaceSubnet(string name, Func<Subnet, Subnet> change)
    {
        var index = Subnets.FindIndex(s => s.Name == name);
        Subnets[index] = change(Subnets[index]);
    }

    public void RemoveEndpoint(string name) => Endpoints.RemoveAll(e => e.Name == name);

    public void ReplaceEndpoint(string name, Func<PrivateEndpoint, PrivateEndpoint> change)
    {
        var index = Endpoints.FindIndex(e => e.Name == name);
        Endpoints[index] = change(Endpoints[index]);
    }

    public static PrivateEndpoint Endpoint(string name, string target, PrivateEndpointGroupId group, string address, params string[] fqdns) => new()
    {
        Name = name,
        VirtualNetwork = "vnet",
        Subnet = "endpoints",
        PrivateIpAddresses = [address],
        Target = new PrivateLinkTarget(group switch
        {
            PrivateEndpointGroupId.AmlWorkspace => "Microsoft.MachineLearningServices/workspaces",
            PrivateEndpointGroupId.Vault => "Microsoft.KeyVault/vaults",
            PrivateEndpointGroupId.Registry => "Microsoft.ContainerRegistry/registries",
            _ => "Microsoft.Storage/storageAccounts",
        }, target),
        GroupId = group,
        Fqdns = fqdns,
    };

    private static ServiceTag Tag(string name, string? region, params string[] prefixes) => new()
    {
        Name = name,
        Region = region,
        AddressPrefixes = [.. prefixes.Select(IpPrefix.Parse)],
        Origin = ServiceTagOrigin.AzurePublished,
    };
}

internal sealed record CompiledNetworkAndInput(Sluice.Network.Verification.CompiledNetwork Network, WorkspaceDiagnosisInput Input);

internal static class DiagnosisAssert
{
    /// <summary>The one finding with the code in the group; fails listing every finding when there is not exactly one.</summary>
    public static DiagnosisFinding Single(WorkspaceDiagnosis diagnosis, DiagnosisGroup group, string code)
    {
        var matches = diagnosis.Group(group).Where(f => f.Code == code).ToList();
        Assert.True(matches.Count == 1, $"Expected one {code} in {group}, found {matches.Count}. Findings:\n{string.Join("\n", diagnosis.AllFindings())}");
        return matches[0];
    }

    public static void Finding(WorkspaceDiagnosis diagnosis, DiagnosisGroup group, string code, FindingLevel level, params string[] words)
    {
        var finding = Single(diagnosis, group, code);
        Assert.Equal(level, finding.Level);
        foreach (var word in words)
        {
            Assert.Contains(word, finding.Message, StringComparison.Ordinal);
        }
    }

    public static void NoFinding(WorkspaceDiagnosis diagnosis, string code)
    {
        var matches = diagnosis.AllFindings().Where(f => f.Code == code || f.Code.StartsWith($"{code}.", StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 0, $"Expected no {code}. Findings:\n{string.Join("\n", matches)}");
    }

    public static void Clean(WorkspaceDiagnosis diagnosis) =>
        Assert.True(!diagnosis.AllFindings().Any(), $"Expected no findings, found:\n{string.Join("\n", diagnosis.AllFindings())}");
}
