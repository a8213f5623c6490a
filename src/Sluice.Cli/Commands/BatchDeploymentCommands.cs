using System.CommandLine;
using Sluice.Cli.Infrastructure;
using Sluice.Cli.Specs;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;

namespace Sluice.Cli.Commands;

internal static class BatchDeploymentCommands
{
    private static readonly Column[] Columns = [new("name", "name"), new("endpoint", "endpoint_name"), new("type", "type"), new("model", "model"), new("compute", "compute"), new("mini batch", "settings.mini_batch_size"), new("instances", "resources.instance_count")];

    public static Command Build(CliContext context)
    {
        var group = new Command("batch-deployment", "Manage the deployments behind batch endpoints.");

        var file = CommonOptions.File(required: true);
        var name = CommonOptions.Name(required: false, "deployment");
        var endpoint = CommonOptions.EndpointName();
        endpoint.Required = false;
        endpoint.Description = "The batch endpoint (default: endpoint_name in the file).";
        var setDefault = new Option<bool>("--set-default") { Description = "Make this the endpoint's default deployment." };
        var set = CommonOptions.Set();
        var create = new Command("create", "Create or update a deployment from a YAML file; local model and code are uploaded.") { file, name, endpoint, setDefault, set };
        create.Run(context, async (parse, ct) =>
        {
            var spec = SpecFiles.FromFileOrOptions<BatchDeploymentSpec>(context, parse.GetValue(file), DocumentKind.BatchDeployment, parse.GetValue(set)!,
                [("name", parse.GetValue(name)), ("endpoint_name", parse.GetValue(endpoint))]);
            var endpointName = spec.EndpointName
                ?? throw new CliException("The deployment names no endpoint.", ExitCodes.Invalid, hint: "add 'endpoint_name:' to the file or pass --endpoint-name");
            var client = context.Client(parse);
            spec = await new LocalArtifactUploader(client, context).UploadAsync(spec, ct);
            var path = client.W("batchEndpoints", endpointName, "deployments", spec.Name) + (parse.GetValue(setDefault) ? "?setDefault=true" : string.Empty);
            return await ResourceVerbs.PutAsync(context, parse, path, spec, ct);
        });

        var showName = CommonOptions.Name(what: "deployment");
        var showEndpoint = CommonOptions.EndpointName();
        var show = new Command("show", "Show a deployment.") { showName, showEndpoint };
        show.Run(context, (parse, ct) => ResourceVerbs.ShowAsync(context, parse, context.Client(parse).W("batchEndpoints", parse.GetValue(showEndpoint)!, "deployments", parse.GetValue(showName)!), ct));

        var listEndpoint = CommonOptions.EndpointName();
        var list = new Command("list", "List the deployments of an endpoint.") { listEndpoint };
        list.Run(context, (parse, ct) => ResourceVerbs.ListAsync(context, parse, context.Client(parse).W("batchEndpoints", parse.GetValue(listEndpoint)!, "deployments"), Columns, ct));

        var updateName = CommonOptions.Name(what: "deployment");
        var updateEndpoint = CommonOptions.EndpointName();
        var updateFile = CommonOptions.File();
        var updateSet = CommonOptions.Set();
        var updateDefault = new Option<bool>("--set-default") { Description = "Make this the endpoint's default deployment." };
        var update = new Command("update", "Update a deployment from a file or with --set key=value.") { updateName, updateEndpoint, updateFile, updateSet, updateDefault };
        update.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var endpointName = parse.GetValue(updateEndpoint)!;
            var deploymentName = parse.GetValue(updateName)!;
            var path = client.W("batchEndpoints", endpointName, "deployments", deploymentName);
            BatchDeploymentSpec spec;
            if (parse.GetValue(updateFile) is { } f)
            {
                spec = SpecFiles.Read<BatchDeploymentSpec>(context, f, DocumentKind.BatchDeployment, [.. parse.GetValue(updateSet)!, $"name={deploymentName}", $"endpoint_name={endpointName}"]);
                await client.GetAsync(path, ct); // update never creates: 404 when the deployment is missing
                spec = await new LocalArtifactUploader(client, context).UploadAsync(spec, ct);
            }
            else
            {
                spec = await ResourceVerbs.FetchAndOverrideAsync<BatchDeploymentSpec>(context, parse, path, DocumentKind.BatchDeployment, parse.GetValue(updateSet)!, ct);
            }

            return await ResourceVerbs.PutAsync(context, parse, path + (parse.GetValue(updateDefault) ? "?setDefault=true" : string.Empty), spec, ct);
        });

        var deleteName = CommonOptions.Name(what: "deployment");
        var deleteEndpoint = CommonOptions.EndpointName();
        var yes = CommonOptions.Yes();
        var delete = new Command("delete", "Delete a deployment (not the endpoint's default).") { deleteName, deleteEndpoint, yes };
        delete.Run(context, (parse, ct) => ResourceVerbs.DeleteAsync(context, parse,
            context.Client(parse).W("batchEndpoints", parse.GetValue(deleteEndpoint)!, "deployments", parse.GetValue(deleteName)!),
            $"deployment '{parse.GetValue(deleteName)}' of batch endpoint '{parse.GetValue(deleteEndpoint)}'", parse.GetValue(yes), ct));

        group.Subcommands.Add(create);
        group.Subcommands.Add(show);
        group.Subcommands.Add(list);
        group.Subcommands.Add(update);
        group.Subcommands.Add(delete);
        return group;
    }
}
