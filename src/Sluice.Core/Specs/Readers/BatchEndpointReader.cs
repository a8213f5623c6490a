using Sluice.Core.Naming;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static class BatchEndpointReader
{
    public const string NetworkModeExplanation =
        "batch endpoints take their network mode from their workspace when they are created and keep it (as in Azure ML); "
        + "set public_network_access on the workspace instead, then create the endpoint";

    public static BatchEndpointSpec Read(MappingReader m)
    {
        var type = m.String("type");
        if (type is not null and not "batch")
        {
            m.Error("type", $"'{type}' is not a batch endpoint type; omit type or write 'type: batch'");
        }

        m.Forbid("public_network_access", NetworkModeExplanation);
        m.Forbid("egress_public_network_access", NetworkModeExplanation);
        m.Forbid("traffic", "traffic splitting is for online endpoints; a batch endpoint routes each job to defaults.deployment_name or to the deployment the invocation names");
        m.Forbid("deployments", "inline deployments (Azure ML's legacy preview schema) are not supported; put each deployment in its own file with 'endpoint_name:' and create it with 'sluice batch-deployment create'");

        var defaults = new BatchEndpointDefaults();
        if (m.Mapping("defaults") is { } d)
        {
            var deployment = d.String("deployment_name");
            if (deployment is not null && ResourceNames.Deployment(deployment) is { } problem)
            {
                d.Error("deployment_name", problem);
            }

            defaults = new BatchEndpointDefaults { DeploymentName = deployment };
            d.Complete();
        }

        var spec = new BatchEndpointSpec
        {
            Name = Fields.Name(m, ResourceNames.Endpoint),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            AuthMode = m.Enum<AuthMode>("auth_mode") ?? AuthMode.AadToken,
            Defaults = defaults,
        };
        Fields.Tolerate(m, "Azure placement has no meaning for a self-hosted endpoint; ignored", "location", "identity");
        m.Complete();
        return spec;
    }
}
