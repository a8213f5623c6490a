using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Sluice.Cli.Specs;
using Sluice.Core.References;
using Sluice.Core.Specs;

namespace Sluice.Cli.Commands;

internal static class BatchEndpointCommands
{
    private static readonly Column[] Columns = [new("name", "name"), new("default deployment", "defaults.deployment_name"), new("network", "network_mode"), new("auth", "auth_mode"), new("description", "description")];

    internal static readonly Column[] JobColumns = [new("name", "name"), new("status", "status"), new("endpoint", "endpoint_name"), new("deployment", "deployment_name"), new("created", "creation_context.created_at")];

    public static Command Build(CliContext context)
    {
        var group = new Command("batch-endpoint", "Manage batch endpoints and invoke them.");

        var file = CommonOptions.File();
        var name = CommonOptions.Name(required: false, "endpoint");
        var set = CommonOptions.Set();
        var description = new Option<string?>("--description") { Description = "A description." };
        var create = new Command("create", "Create a batch endpoint from a file or options.") { file, name, description, set };
        create.Run(context, (parse, ct) =>
        {
            var spec = SpecFiles.FromFileOrOptions<BatchEndpointSpec>(context, parse.GetValue(file), DocumentKind.BatchEndpoint, parse.GetValue(set)!,
                [("name", parse.GetValue(name)), ("description", parse.GetValue(description))]);
            return ResourceVerbs.PutAsync(context, parse, context.Client(parse).W("batchEndpoints", spec.Name), spec, ct);
        });

        var showName = CommonOptions.Name(what: "endpoint");
        var show = new Command("show", "Show a batch endpoint.") { showName };
        show.Run(context, (parse, ct) => ResourceVerbs.ShowAsync(context, parse, context.Client(parse).W("batchEndpoints", parse.GetValue(showName)!), ct));

        var list = new Command("list", "List batch endpoints.");
        list.Run(context, (parse, ct) => ResourceVerbs.ListAsync(context, parse, context.Client(parse).W("batchEndpoints"), Columns, ct));

        var updateName = CommonOptions.Name(what: "endpoint");
        var updateFile = CommonOptions.File();
        var updateSet = CommonOptions.Set();
        var update = new Command("update", "Update a batch endpoint, e.g. --set defaults.deployment_name=<deployment>.") { updateName, updateFile, updateSet };
        update.Run(context, async (parse, ct) =>
        {
            var endpoint = parse.GetValue(updateName)!;
            var path = context.Client(parse).W("batchEndpoints", endpoint);
            BatchEndpointSpec spec;
            if (parse.GetValue(updateFile) is { } f)
            {
                spec = SpecFiles.Read<BatchEndpointSpec>(context, f, DocumentKind.BatchEndpoint, [.. parse.GetValue(updateSet)!, $"name={endpoint}"]);
                await context.Client(parse).GetAsync(path, ct); // update never creates: 404 when the endpoint is missing
            }
            else
            {
                spec = await ResourceVerbs.FetchAndOverrideAsync<BatchEndpointSpec>(context, parse, path, DocumentKind.BatchEndpoint, parse.GetValue(updateSet)!, ct);
            }

            return await ResourceVerbs.PutAsync(context, parse, path, spec, ct);
        });

        var deleteName = CommonOptions.Name(what: "endpoint");
        var yes = CommonOptions.Yes();
        var delete = new Command("delete", "Delete a batch endpoint and its deployments.") { deleteName, yes };
        delete.Run(context, (parse, ct) => ResourceVerbs.DeleteAsync(context, parse, context.Client(parse).W("batchEndpoints", parse.GetValue(deleteName)!), ResourceVerbs.Named("batch endpoint", parse.GetValue(deleteName)!), parse.GetValue(yes), ct));

        var jobsName = CommonOptions.Name(what: "endpoint");
        var listJobs = new Command("list-jobs", "List the jobs of a batch endpoint, newest first.") { jobsName };
        listJobs.Run(context, (parse, ct) => ResourceVerbs.ListAsync(context, parse, context.Client(parse).W("batchEndpoints", parse.GetValue(jobsName)!, "jobs"), JobColumns, ct));

        group.Subcommands.Add(create);
        group.Subcommands.Add(show);
        group.Subcommands.Add(list);
        group.Subcommands.Add(update);
        group.Subcommands.Add(delete);
        group.Subcommands.Add(BuildInvoke(context));
        group.Subcommands.Add(listJobs);
        return group;
    }

    private static Command BuildInvoke(CliContext context)
    {
        var name = CommonOptions.Name(what: "endpoint");
        var input = new Option<string?>("--input", "-i") { Description = "The data to score: a local file or folder (uploaded first), azureml://datastores/<ds>/paths/<p>, or azureml:<data>:<version>." };
        var inputType = new Option<string?>("--input-type") { Description = "uri_folder or uri_file (default: what the path holds)." };
        var file = CommonOptions.File();
        file.Description = "An inputs/outputs YAML file (the 'inputs:' form Azure ML's invoke --file takes).";
        var deployment = new Option<string?>("--deployment-name", "-d") { Description = "Run this deployment instead of the endpoint's default." };
        var miniBatchSize = new Option<string?>("--mini-batch-size") { Description = "Files per mini-batch for this job; for tabular inputs also a size (\"10MB\") or rows (\"5000 rows\")." };
        var instanceCount = new Option<int?>("--instance-count") { Description = "Nodes for this job." };
        var outputPath = new Option<string?>("--output-path") { Description = "Where outputs go: azureml://datastores/<ds>/paths/<folder>/." };
        var jobName = new Option<string?>("--job-name") { Description = "The job's name (default: generated)." };
        var recursive = new Option<bool>("--recursive") { Description = "Also read files in subfolders of a folder input (Azure ML reads the top level only)." };
        var set = CommonOptions.Set();
        set.Description = "Per-job settings: output_file_name, error_threshold, mini_batch_error_threshold, logging_level, retry_settings.max_retries, retry_settings.timeout, environment_variables.<NAME>, max_concurrency_per_instance.";
        var invoke = new Command("invoke", "Start a batch job on the endpoint; returns at once with the job.") { name, input, inputType, file, deployment, miniBatchSize, instanceCount, outputPath, jobName, recursive, set };
        invoke.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var properties = new JsonObject();
            var (inputName, inputNode) = await InputAsync(context, client, parse.GetValue(input), parse.GetValue(inputType), parse.GetValue(file), ct);
            if (parse.GetValue(recursive))
            {
                inputNode["Recursive"] = true;
            }

            properties["InputData"] = new JsonObject { [inputName] = inputNode };
            if (parse.GetValue(outputPath) is { } output)
            {
                properties["OutputData"] = new JsonObject { ["score"] = new JsonObject { ["JobOutputType"] = "UriFolder", ["Uri"] = output } };
            }

            if (parse.GetValue(miniBatchSize) is { } size)
            {
                properties["miniBatchSize"] = int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var files) ? files : size;
            }

            if (parse.GetValue(instanceCount) is { } count)
            {
                properties["compute"] = new JsonObject { ["instanceCount"] = count };
            }

            ApplySettings(properties, parse.GetValue(set)!);
            var body = new JsonObject { ["properties"] = properties };
            if (parse.GetValue(jobName) is { } job)
            {
                body["name"] = job;
            }

            var headers = parse.GetValue(deployment) is { } d ? new Dictionary<string, string> { ["azureml-model-deployment"] = d } : null;
            var created = await client.PostAsync(client.W("batchEndpoints", parse.GetValue(name)!, "jobs"), body.ToJsonString(), ct, headers);
            Output.Resource(context, created, GlobalOptions.FormatOf(parse, OutputFormat.Json));
            return ExitCodes.Success;
        });
        return invoke;
    }

    /// <summary>Turns --input/--file into Azure's InputData entry, uploading local paths to the default datastore first.</summary>
    private static async Task<(string Name, JsonObject Input)> InputAsync(CliContext context, SluiceClient client, string? input, string? inputType, string? file, CancellationToken ct)
    {
        if (file is not null)
        {
            if (input is not null)
            {
                throw new CliException("Give either --input or --file, not both.", ExitCodes.Invalid);
            }

            var io = SpecFiles.Read<JobIoSpec>(context, file, DocumentKind.JobInputs);
            if (io.Inputs.Count != 1)
            {
                throw new CliException($"{file} declares {io.Inputs.Count} inputs; model deployments take exactly one.", ExitCodes.Invalid);
            }

            var (inputName, declared) = io.Inputs.Single();
            var path = await new LocalArtifactUploader(client, context).PathAsync(declared.Path!, ct);
            return (inputName, new JsonObject { ["JobInputType"] = Core.Yaml.EnumNames<IoType>.ToName(declared.Type), ["Uri"] = path.Text });
        }

        if (input is null)
        {
            throw new CliException("Nothing to score: pass --input <folder, file or datastore path> (or --file inputs.yml).", ExitCodes.Invalid);
        }

        if (!ReferenceParser.TryParse(input, ReferenceForms.Data, Directory.GetCurrentDirectory(), out var reference, out var error))
        {
            throw new CliException($"--input: {error}.", ExitCodes.Invalid);
        }

        if (reference is LocalPathReference local && !File.Exists(local.FullPath) && !Directory.Exists(local.FullPath))
        {
            throw new CliException($"--input '{input}' does not exist (looked for {local.FullPath}).", ExitCodes.Invalid);
        }

        var uploaded = await new LocalArtifactUploader(client, context).PathAsync(reference!, ct);
        var node = new JsonObject { ["Uri"] = uploaded.Text };
        if (inputType is not null)
        {
            node["JobInputType"] = inputType;
        }

        return ("input", node);
    }

    /// <summary>Maps az-style <c>--set</c> keys of a batch job to the fields of Azure's batch job REST resource.</summary>
    private static void ApplySettings(JsonObject properties, IEnumerable<string> sets)
    {
        foreach (var assignment in sets)
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"--set '{assignment}': expected key=value.", ExitCodes.Invalid);
            }

            var key = assignment[..equals].Trim();
            var value = assignment[(equals + 1)..];
            key = key.StartsWith("settings.", StringComparison.Ordinal) ? key["settings.".Length..] : key;
            switch (key)
            {
                case "output_file_name":
                    properties["outputFileName"] = value;
                    break;
                case "logging_level":
                    properties["loggingLevel"] = value;
                    break;
                case "error_threshold":
                    properties["errorThreshold"] = Integer(key, value);
                    break;
                case "mini_batch_error_threshold":
                    properties["miniBatchErrorThreshold"] = Integer(key, value);
                    break;
                case "mini_batch_size":
                    properties["miniBatchSize"] = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var files) ? files : value;
                    break;
                case "max_concurrency_per_instance":
                    properties["maxConcurrencyPerInstance"] = Integer(key, value);
                    break;
                case "instance_count" or "resources.instance_count":
                    properties["compute"] = new JsonObject { ["instanceCount"] = Integer(key, value) };
                    break;
                case "retry_settings.max_retries":
                    Retry(properties)["maxRetries"] = Integer(key, value);
                    break;
                case "retry_settings.timeout":
                    Retry(properties)["timeout"] = Integer(key, value);
                    break;
                case var variable when variable.StartsWith("environment_variables.", StringComparison.Ordinal):
                    var variables = properties["environmentVariables"] as JsonObject ?? [];
                    variables[variable["environment_variables.".Length..]] = value;
                    properties["environmentVariables"] = variables;
                    break;
                default:
                    throw new CliException(
                        $"--set '{key}' is not a per-job setting.", ExitCodes.Invalid,
                        hint: "per-job settings: output_file_name, error_threshold, mini_batch_error_threshold, logging_level, mini_batch_size, max_concurrency_per_instance, instance_count, retry_settings.max_retries, retry_settings.timeout, environment_variables.<NAME>");
            }
        }
    }

    private static JsonObject Retry(JsonObject properties)
    {
        if (properties["retrySettings"] is not JsonObject retry)
        {
            retry = [];
            properties["retrySettings"] = retry;
        }

        return retry;
    }

    private static int Integer(string key, string value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new CliException($"--set {key}: '{value}' is not a whole number.", ExitCodes.Invalid);
}
