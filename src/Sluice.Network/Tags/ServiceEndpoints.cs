namespace Sluice.Network.Tags;

/// <summary>
/// The service endpoints a subnet can enable and the service tag whose prefixes each one routes directly to the service
/// (<c>VirtualNetworkServiceEndpoint</c> routes). The regional tag of the network's location is used when the tag set
/// has it (<c>Storage.WestEurope</c> for a network in <c>westeurope</c>), else the global tag. Azure also covers the
/// paired region for storage; region pairs are not modelled.
/// </summary>
public static class ServiceEndpoints
{
    private static readonly Dictionary<string, string> TagByService = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Storage"] = "Storage",
        ["Microsoft.Storage.Global"] = "Storage",
        ["Microsoft.Sql"] = "Sql",
        ["Microsoft.AzureCosmosDB"] = "AzureCosmosDB",
        ["Microsoft.KeyVault"] = "AzureKeyVault",
        ["Microsoft.ServiceBus"] = "ServiceBus",
        ["Microsoft.EventHub"] = "EventHub",
        ["Microsoft.AzureActiveDirectory"] = "AzureActiveDirectory",
        ["Microsoft.Web"] = "AppService",
        ["Microsoft.ContainerRegistry"] = "AzureContainerRegistry",
        ["Microsoft.CognitiveServices"] = "CognitiveServicesManagement",
    };

    /// <summary>The service names accepted in <see cref="Model.Subnet.ServiceEndpoints"/>.</summary>
    public static IReadOnlyCollection<string> Known => TagByService.Keys;

    public static bool TryGetServiceTag(string service, out string tag) => TagByService.TryGetValue(service, out tag!);

    /// <summary>Whether the endpoint is global (all regions) rather than scoped to the network's region.</summary>
    internal static bool IsGlobal(string service) => service.EndsWith(".Global", StringComparison.OrdinalIgnoreCase);
}
