using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Data.Store;
using Sluice.Server.Resources;

namespace Sluice.Server.Api;

/// <summary>The JSON a resource is shown as: its spec (snake_case, defaults filled in) plus identity and server-owned fields.</summary>
public static class ResourceViews
{
    public static JsonObject Render(StoredResource resource)
    {
        var node = JsonSerializer.SerializeToNode(resource.Spec, resource.Spec.GetType(), SluiceJson.Options)!.AsObject();
        node["id"] = Id(resource);
        if (resource.Kind.IsVersioned())
        {
            node["version"] = resource.Version;
        }

        if (resource.Kind == ResourceKind.BatchDeployment)
        {
            node["endpoint_name"] = resource.Parent;
        }

        if (resource.Archived)
        {
            node["archived"] = true;
        }

        foreach (var (key, value) in resource.System)
        {
            node[key] = value?.DeepClone();
        }

        node["creation_context"] = CreationContext(resource.CreatedAt, resource.ModifiedAt);
        return node;
    }

    public static JsonObject Render(WorkspaceRecord record)
    {
        var spec = SpecCodec.Decode<WorkspaceSpec>(ResourceKind.Workspace, record.SpecJson);
        var node = JsonSerializer.SerializeToNode(spec, SluiceJson.Options)!.AsObject();
        node["id"] = $"/workspaces/{record.Name}";
        node["network_mode"] = Core.Yaml.EnumNames<NetworkMode>.ToName(spec.NetworkMode);
        node["creation_context"] = CreationContext(record.CreatedAt, record.ModifiedAt);
        return node;
    }

    public static JsonObject CreationContext(DateTime created, DateTime modified) => new()
    {
        ["created_at"] = DateTime.SpecifyKind(created, DateTimeKind.Utc).ToString("O"),
        ["last_modified_at"] = DateTime.SpecifyKind(modified, DateTimeKind.Utc).ToString("O"),
    };

    public static string Id(StoredResource resource) => resource.Kind switch
    {
        ResourceKind.BatchDeployment => $"/workspaces/{resource.Workspace}/batchEndpoints/{resource.Parent}/deployments/{resource.Name}",
        _ when resource.Kind.IsVersioned() => $"/workspaces/{resource.Workspace}/{Collection(resource.Kind)}/{resource.Name}/versions/{resource.Version}",
        _ => $"/workspaces/{resource.Workspace}/{Collection(resource.Kind)}/{resource.Name}",
    };

    /// <summary>The URL path segment of a kind's collection, as in Azure's REST API.</summary>
    public static string Collection(ResourceKind kind) => kind switch
    {
        ResourceKind.Data => "data",
        ResourceKind.Model => "models",
        ResourceKind.Environment => "environments",
        ResourceKind.Component => "components",
        ResourceKind.Compute => "computes",
        ResourceKind.Datastore => "datastores",
        ResourceKind.BatchEndpoint => "batchEndpoints",
        ResourceKind.BatchDeployment => "deployments",
        ResourceKind.Registry => "registries",
        _ when kind.IsNetwork() => Core.Yaml.SnakeCase.From(kind.ToString()).Replace('_', '-') + "s",
        _ => kind.ToString().ToLowerInvariant() + "s",
    };
}
