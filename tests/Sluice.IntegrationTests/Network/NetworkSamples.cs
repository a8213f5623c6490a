using System.Text;

namespace Sluice.IntegrationTests.Network;

/// <summary>Network resource files as a user writes them.</summary>
internal static class NetworkSamples
{
    public const string Vnet = """
        type: virtual_network
        name: vnet1
        address_space: [10.0.0.0/16]
        subnets:
          - name: compute
            address_prefix: 10.0.1.0/24
            service_endpoints: [Microsoft.Storage]
          - name: endpoints
            address_prefix: 10.0.2.0/24
        """;

    public const string Nsg = """
        type: network_security_group
        name: nsg-compute
        security_rules:
          - name: allow-node-management
            priority: 100
            direction: Inbound
            access: Allow
            protocol: Tcp
            source_address_prefix: SluiceControlPlane
            destination_address_prefix: VirtualNetwork
            destination_port_range: "29876-29877"
        """;

    public const string RouteTable = """
        type: route_table
        name: rt-compute
        routes:
          - name: to-firewall
            address_prefix: 0.0.0.0/0
            next_hop_type: VirtualAppliance
            next_hop_ip_address: 10.0.0.4
        """;

    public const string NatGateway = "type: nat_gateway\nname: nat1\npublic_ip_addresses: [203.0.113.10]\n";

    public const string Asg = "type: application_security_group\nname: asg-web\n";

    public const string Nic = "type: network_interface\nname: vm1-nic\nsubnet: vnet1/compute\nprivate_ip_address: 10.0.1.10\n";

    public const string StorageAccount = "type: storage_account\nname: mystorage\npublic_address: 20.60.1.5\n";

    public const string PrivateEndpoint = """
        type: private_endpoint
        name: pe-blob
        subnet: vnet1/endpoints
        private_link_service_connection:
          target: storage_account:mystorage
          group_id: blob
        """;

    public const string SecretStore = "type: secret_store\nname: kv1\npublic_address: 20.1.2.3\n";

    public const string Registry = "type: registry\nname: acr12345\npublic_address: 20.1.2.4\n";

    public const string ServiceTag = "type: service_tag\nname: OnPremLab\naddress_prefixes: [192.0.2.0/24]\n";

    /// <summary>A file in Azure's ServiceTags_*.json format with <paramref name="count"/> regional tags of 12 prefixes each.</summary>
    public static string ServiceTagFile(int count, string cloud = "Public", int changeNumber = 1)
    {
        var text = new StringBuilder($$"""{"changeNumber": {{changeNumber}}, "cloud": "{{cloud}}", "values": [""");
        for (var i = 0; i < count; i++)
        {
            var name = i == 0 ? "Storage.WestEurope" : $"Service{i}.Region{i % 60}";
            text.Append(i == 0 ? "\n" : ",\n");
            text.Append($$"""  {"name": "{{name}}", "id": "{{name}}", "properties": {"changeNumber": {{i}}, "region": "region{{i % 60}}", "regionId": {{i % 60}}, "platform": "Azure", "systemService": "Service{{i}}", "addressPrefixes": [""");
            for (var j = 0; j < 12; j++)
            {
                text.Append(j == 0 ? string.Empty : ", ").Append($"\"{20 + (i / 250)}.{i % 250}.{j * 16}.0/20\"");
            }

            text.Append("""], "networkFeatures": ["API", "NSG", "UDR", "FW"]}}""");
        }

        return text.Append("\n]}\n").ToString();
    }
}
