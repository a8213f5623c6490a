using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Core.Specs.Network;
using Sluice.Data.Network;
using Sluice.Data.Store;
using Sluice.Network.Diagnostics;
using Sluice.Server.BatchEndpoints;
using Sluice.Server.Workspaces;
using Diag = Sluice.Network.Diagnostics;

namespace Sluice.Server.Network;

/// <summary>
/// <c>sluice workspace diagnose</c>: gathers what the diagnosis needs from the store — the workspace's network model,
/// its services, computes, batch endpoints and datastores, and Sluice's own ports — and asks the diagnosis engine.
/// A network that does not build is itself the finding.
/// </summary>
public sealed class WorkspaceDiagnosisService(IDbContextFactory<SluiceDbContext> factory, WorkspaceNetworkModels models, WorkspaceService workspaces)
{
    public async Task<WorkspaceDiagnosis> DiagnoseAsync(string workspace, DiagnosisRules rules, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        var network = await models.GetAsync(workspace, cancellationToken: cancellationToken) ?? throw SluiceException.NotFound($"Workspace '{workspace}'");
        if (network.Compiled is not { } compiled)
        {
            return new WorkspaceDiagnosis
            {
                Workspace = workspace,
                Rules = rules,
                Other = [.. network.Errors.Select(e => new DiagnosisFinding
                {
                    Code = "NetworkModelInvalid",
                    Level = FindingLevel.Error,
                    Message = $"{e.Path}: {e.Message}. The network cannot be checked until its resources fit together: fix this and diagnose again.",
                })],
            };
        }

        return WorkspaceDiagnostics.Diagnose(compiled, await InputAsync(workspace, network.Specs, cancellationToken), rules);
    }

    private async Task<WorkspaceDiagnosisInput> InputAsync(string workspace, WorkspaceNetwork specs, CancellationToken cancellationToken)
    {
        var ws = specs.Workspace;
        var location = ws.Location ?? NetworkModelMapping.DefaultLocation;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var endpointKind = ResourceKind.BatchEndpoint.ToString();
        var endpoints = await db.Resources.AsNoTracking()
            .Where(r => r.Workspace == workspace && r.Kind == endpointKind && r.Parent == string.Empty)
            .Select(r => new { r.Name, r.SystemJson })
            .ToListAsync(cancellationToken);
        var datastoreKind = ResourceKind.Datastore.ToString();
        var datastores = await db.Resources.AsNoTracking()
            .Where(r => r.Workspace == workspace && r.Kind == datastoreKind && r.Parent == string.Empty)
            .Select(r => r.SpecJson)
            .ToListAsync(cancellationToken);

        return new WorkspaceDiagnosisInput
        {
            Workspace = new WorkspaceFacts
            {
                Name = workspace,
                Location = location,
                PublicNetworkAccess = NetworkModelMapping.Same<Core.Specs.PublicNetworkAccess, Diag.PublicNetworkAccess>(ws.PublicNetworkAccess),
                StorageAccount = ws.StorageAccount,
                SecretStore = ws.KeyVault,
                Registry = ws.ContainerRegistry,
            },
            StorageAccounts = [.. specs.All(ResourceKind.StorageAccount).OfType<StorageAccountSpec>().Select(s => new StorageAccountFacts
            {
                Name = s.Name, Location = s.Location ?? location, PublicNetworkAccess = NetworkModelMapping.Same<Core.Specs.PublicNetworkAccess, Diag.PublicNetworkAccess>(s.PublicNetworkAccess),
                PublicAddress = s.PublicAddress, Firewall = Firewall(s.NetworkRuleSet),
            })],
            SecretStores = [.. specs.All(ResourceKind.SecretStore).OfType<SecretStoreSpec>().Select(s => new SecretStoreFacts
            {
                Name = s.Name, Location = s.Location ?? location, PublicNetworkAccess = NetworkModelMapping.Same<Core.Specs.PublicNetworkAccess, Diag.PublicNetworkAccess>(s.PublicNetworkAccess),
                PublicAddress = s.PublicAddress, Firewall = Firewall(s.NetworkAcls),
            })],
            Registries = [.. specs.All(ResourceKind.Registry).OfType<RegistrySpec>().Select(s => new RegistryFacts
            {
                Name = s.Name, Location = s.Location ?? location, PublicNetworkAccess = NetworkModelMapping.Same<Core.Specs.PublicNetworkAccess, Diag.PublicNetworkAccess>(s.PublicNetworkAccess),
                PublicAddress = s.PublicAddress, Firewall = Firewall(s.NetworkRuleSet), Quarantine = s.Quarantine,
            })],
            Computes = [.. specs.All(ResourceKind.Compute).OfType<ComputeSpec>().Select(c => new ComputeFacts
            {
                Name = c.Name,
                Kind = c.Type switch { ComputeType.Kubernetes => ComputeKind.Kubernetes, ComputeType.Computeinstance => ComputeKind.ComputeInstance, _ => ComputeKind.AmlCompute },
                Location = c.Location ?? location,
                VirtualNetwork = c.NetworkSettings?.VnetName,
                Subnet = c.NetworkSettings?.Subnet,
                MaxInstances = c.MaxInstances,
                EnableNodePublicIp = c.EnableNodePublicIp,
                ServiceCidr = c.KubernetesNetwork?.ServiceCidr,
                DnsServiceIp = c.KubernetesNetwork?.DnsServiceIp,
                DockerBridgeCidr = c.KubernetesNetwork?.DockerBridgeCidr,
            })],
            BatchEndpoints = [.. endpoints.Select(e => new BatchEndpointFacts
            {
                Name = e.Name,
                NetworkMode = (string?)System.Text.Json.Nodes.JsonNode.Parse(e.SystemJson)?[BatchEndpointService.NetworkModeKey] == "private" ? EndpointNetworkMode.Private : EndpointNetworkMode.Public,
            })],
            Sluice = new SluiceDeploymentFacts
            {
                NodeManagementPorts = models.Options.NodeManagementPorts,
                ApiPort = models.Options.ApiPort,
                Datastores = [.. datastores.Select(json => SpecCodec.Decode<DatastoreSpec>(ResourceKind.Datastore, json)).Select(d => new DatastoreFacts
                {
                    Name = d.Name,
                    StorageAccount = d.Type == DatastoreType.Local ? null : d.AccountName,
                })],
            },
        };
    }

    private static ServiceFirewall Firewall(NetworkRuleSetSpec rules) => new()
    {
        DefaultAction = NetworkModelMapping.Same<NetworkRuleAction, FirewallAction>(rules.DefaultAction),
        Bypass = [.. rules.Bypass.Select(NetworkModelMapping.Same<NetworkRuleBypass, FirewallBypass>)],
        IpRules = rules.IpRules,
        VirtualNetworkRules = [.. rules.VirtualNetworkRules.Select(r => new VirtualNetworkRule(r.VirtualNetwork, r.Subnet))],
    };
}
