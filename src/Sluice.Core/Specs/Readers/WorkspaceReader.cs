using Sluice.Core.Naming;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static class WorkspaceReader
{
    public static WorkspaceSpec Read(MappingReader m)
    {
        var managed = m.Mapping("managed_network");
        ManagedNetworkSpec? managedNetwork = null;
        if (managed is not null)
        {
            managedNetwork = new ManagedNetworkSpec { IsolationMode = managed.Enum<IsolationMode>("isolation_mode") ?? IsolationMode.Disabled };
            Fields.Tolerate(managed, "outbound rules are modelled by Sluice's network resources (sluice network …); this key is ignored", "outbound_rules");
            managed.Complete();
        }

        var spec = new WorkspaceSpec
        {
            Name = Fields.Name(m, ResourceNames.Workspace),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            DisplayName = m.String("display_name"),
            Location = m.String("location"),
            PublicNetworkAccess = m.Enum<PublicNetworkAccess>("public_network_access") ?? PublicNetworkAccess.Enabled,
            ManagedNetwork = managedNetwork,
            StorageAccount = ServiceReference(m, "storage_account", ResourceNames.StorageAccount),
            KeyVault = ServiceReference(m, "key_vault", ResourceNames.SecretStore),
            ContainerRegistry = ServiceReference(m, "container_registry", ResourceNames.Registry),
            ApplicationInsights = m.String("application_insights"),
            HbiWorkspace = m.Boolean("hbi_workspace") ?? false,
        };
        Fields.Tolerate(m, "Azure resource placement has no meaning for a self-hosted workspace; ignored", "resource_group", "subscription_id", "image_build_compute", "primary_user_assigned_identity", "identity", "customer_managed_key", "enable_data_isolation", "kind");
        m.Complete();
        return spec;
    }

    /// <summary>The name of a service resource in the workspace; Azure's ARM ids are reduced to their last segment.</summary>
    private static string? ServiceReference(MappingReader m, string key, Func<string, string?> rule)
    {
        var text = m.String(key);
        if (text is null)
        {
            return null;
        }

        var name = Network.ArmIds.LastSegment(text);
        if (rule(name) is { } problem)
        {
            m.Error(key, problem);
            return null;
        }

        return name;
    }
}
