using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Specs;

/// <summary>
/// Tells what a document describes from its content (its keys and its <c>type</c>), not from <c>$schema</c>: Azure ML's
/// own samples carry wrong or stale schema URLs. <c>$schema</c> only breaks ties.
/// </summary>
public static class SpecKindDetector
{
    public sealed record Detection(DocumentKind? Kind, string Evidence, bool IsDefinite);

    private static readonly Dictionary<string, DocumentKind> ByType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["amlcompute"] = DocumentKind.Compute,
        ["computeinstance"] = DocumentKind.Compute,
        ["kubernetes"] = DocumentKind.Compute,
        ["virtualmachine"] = DocumentKind.Compute,
        ["azure_blob"] = DocumentKind.Datastore,
        ["azure_file"] = DocumentKind.Datastore,
        ["azure_data_lake_gen1"] = DocumentKind.Datastore,
        ["azure_data_lake_gen2"] = DocumentKind.Datastore,
        ["local"] = DocumentKind.Datastore,
        ["uri_file"] = DocumentKind.Data,
        ["uri_folder"] = DocumentKind.Data,
        ["mltable"] = DocumentKind.Data,
        ["custom_model"] = DocumentKind.Model,
        ["mlflow_model"] = DocumentKind.Model,
        ["triton_model"] = DocumentKind.Model,
        ["command"] = DocumentKind.Component,
        ["batch"] = DocumentKind.BatchEndpoint,
        ["model"] = DocumentKind.BatchDeployment,
        ["virtual_network"] = DocumentKind.VirtualNetwork,
        ["network_security_group"] = DocumentKind.NetworkSecurityGroup,
        ["route_table"] = DocumentKind.RouteTable,
        ["nat_gateway"] = DocumentKind.NatGateway,
        ["application_security_group"] = DocumentKind.ApplicationSecurityGroup,
        ["network_interface"] = DocumentKind.NetworkInterface,
        ["private_endpoint"] = DocumentKind.PrivateEndpoint,
        ["storage_account"] = DocumentKind.StorageAccount,
        ["secret_store"] = DocumentKind.SecretStore,
        ["registry"] = DocumentKind.Registry,
        ["service_tag"] = DocumentKind.ServiceTag,
    };

    // Keys that only one kind has, checked in order.
    private static readonly (string Key, DocumentKind Kind)[] Distinctive =
    [
        ("address_space", DocumentKind.VirtualNetwork),
        ("security_rules", DocumentKind.NetworkSecurityGroup),
        ("routes", DocumentKind.RouteTable),
        ("private_link_service_connection", DocumentKind.PrivateEndpoint),
        ("network_acls", DocumentKind.SecretStore),
        ("endpoint_name", DocumentKind.BatchDeployment),
        ("code_configuration", DocumentKind.BatchDeployment),
        ("model", DocumentKind.BatchDeployment),
        ("job_definition", DocumentKind.BatchDeployment),
        ("mini_batch_size", DocumentKind.BatchDeployment),
        ("command", DocumentKind.Component),
        ("jobs", DocumentKind.Component),
        ("auth_mode", DocumentKind.BatchEndpoint),
        ("defaults", DocumentKind.BatchEndpoint),
        ("traffic", DocumentKind.BatchEndpoint),
        ("deployments", DocumentKind.BatchEndpoint),
        ("min_instances", DocumentKind.Compute),
        ("max_instances", DocumentKind.Compute),
        ("idle_time_before_scale_down", DocumentKind.Compute),
        ("tier", DocumentKind.Compute),
        ("size", DocumentKind.Compute),
        ("account_name", DocumentKind.Datastore),
        ("container_name", DocumentKind.Datastore),
        ("credentials", DocumentKind.Datastore),
        ("channels", DocumentKind.CondaFile),
        ("dependencies", DocumentKind.CondaFile),
        ("image", DocumentKind.Environment),
        ("conda_file", DocumentKind.Environment),
        ("build", DocumentKind.Environment),
        ("hbi_workspace", DocumentKind.Workspace),
        ("managed_network", DocumentKind.Workspace),
        ("key_vault", DocumentKind.Workspace),
        ("storage_account", DocumentKind.Workspace),
        ("container_registry", DocumentKind.Workspace),
        ("application_insights", DocumentKind.Workspace),
    ];

    public static Detection Detect(YamlMappingNode root)
    {
        var keys = root.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        var type = Scalar(root, "type");

        if (type is not null)
        {
            if (string.Equals(type, "pipeline", StringComparison.OrdinalIgnoreCase))
            {
                // Both pipeline components and pipeline deployments say "type: pipeline".
                return keys.Contains("jobs")
                    ? new Detection(DocumentKind.Component, "'type: pipeline' with 'jobs'", true)
                    : new Detection(DocumentKind.BatchDeployment, "'type: pipeline' without 'jobs'", true);
            }

            if (ByType.TryGetValue(type, out var byType))
            {
                return new Detection(byType, $"'type: {type}'", true);
            }
        }

        foreach (var (key, kind) in Distinctive)
        {
            if (keys.Contains(key))
            {
                return new Detection(kind, $"the key '{key}'", true);
            }
        }

        if (keys.Contains("component") && (keys.Contains("settings") || keys.Contains("endpoint_name")))
        {
            return new Detection(DocumentKind.BatchDeployment, "the keys 'component' and 'settings'", true);
        }

        if (!keys.Contains("name") && (keys.Contains("inputs") || keys.Contains("outputs")))
        {
            return new Detection(DocumentKind.JobInputs, "only 'inputs'/'outputs'", true);
        }

        var fromSchema = FromSchema(Scalar(root, "$schema"));
        if (keys.Contains("path") && fromSchema is DocumentKind.Data or DocumentKind.Model)
        {
            return new Detection(fromSchema, "'path' with a $schema naming the kind", false);
        }

        // A workspace setting that people also write on endpoints, whose reader explains why it does not belong there:
        // a hint, not proof, so an expected kind or a $schema wins over it.
        if (fromSchema is null && keys.Contains("public_network_access"))
        {
            return new Detection(DocumentKind.Workspace, "the key 'public_network_access'", false);
        }

        return fromSchema is not null
            ? new Detection(fromSchema, "its $schema", false)
            : new Detection(null, keys.Contains("path") ? "'path' alone fits both a model and a data asset" : "no key that identifies a kind", false);
    }

    /// <summary>Maps Azure's schema file names (batchEndpoint.schema.json, amlCompute.schema.json, …) to kinds.</summary>
    public static DocumentKind? FromSchema(string? schema)
    {
        if (schema is null)
        {
            return null;
        }

        var file = schema[(schema.LastIndexOf('/') + 1)..].ToLowerInvariant();
        return file switch
        {
            _ when file.Contains("batchdeployment", StringComparison.Ordinal) => DocumentKind.BatchDeployment,
            _ when file.StartsWith("batchendpoint", StringComparison.Ordinal) => DocumentKind.BatchEndpoint,
            _ when file.Contains("component", StringComparison.Ordinal) => DocumentKind.Component,
            _ when file.Contains("compute", StringComparison.Ordinal) => DocumentKind.Compute,
            _ when file.Contains("datastore", StringComparison.Ordinal) => DocumentKind.Datastore,
            _ when file.StartsWith("data", StringComparison.Ordinal) => DocumentKind.Data,
            _ when file.StartsWith("model", StringComparison.Ordinal) => DocumentKind.Model,
            _ when file.StartsWith("environment", StringComparison.Ordinal) => DocumentKind.Environment,
            _ when file.StartsWith("workspace", StringComparison.Ordinal) => DocumentKind.Workspace,
            _ => null,
        };
    }

    private static string? Scalar(YamlMappingNode root, string key) =>
        root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}
