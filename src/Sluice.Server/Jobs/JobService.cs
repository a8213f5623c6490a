using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Jobs;
using Sluice.Core.Naming;
using Sluice.Core.References;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;
using Sluice.Data.Store;
using Sluice.Cluster.Jobs;
using Sluice.Server.BatchEndpoints;
using Sluice.Server.Datastores;
using Sluice.Server.Resources;
using Sluice.Server.Workspaces;

namespace Sluice.Server.Jobs;

/// <summary>Invocations become jobs: routed to a deployment, resolved, validated, recorded, then handed to the job engine.</summary>
public sealed class JobService(
    IDbContextFactory<SluiceDbContext> factory,
    ResourceRepository repository,
    WorkspaceService workspaces,
    BatchEndpointService endpoints,
    AssetService assets,
    DatastoreService datastores,
    IJobEngine engine,
    TimeProvider clock)
{
    public async Task<JobRecord> InvokeAsync(string workspace, string endpointName, string? deploymentHeader, InvokeRequest request, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        var properties = request.Properties ?? new InvokeProperties();
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var endpointRecord = await endpoints.RequireEndpointAsync(db, workspace, endpointName, cancellationToken);
        var endpoint = SpecCodec.Decode<BatchEndpointSpec>(ResourceKind.BatchEndpoint, endpointRecord.SpecJson);

        var deploymentName = NonEmpty(deploymentHeader) ?? NonEmpty(properties.DeploymentName) ?? endpoint.Defaults.DeploymentName
            ?? throw new SluiceException(
                $"Batch endpoint '{endpointName}' has no default deployment, so there is no deployment to route this job to.",
                SluiceErrorKind.Conflict,
                $"name one with -d/--deployment-name (header azureml-model-deployment), or set a default: 'sluice batch-endpoint update -n {endpointName} --set defaults.deployment_name=<deployment>'")
            { Title = "No valid deployments to route to" };
        var deploymentRecord = await repository.FindAsync(db, workspace, ResourceKind.BatchDeployment, deploymentName, parent: endpointName, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"Deployment '{deploymentName}' of batch endpoint '{endpointName}'", $"list deployments with 'sluice batch-deployment list --endpoint-name {endpointName}'");
        var stored = SpecCodec.Decode<BatchDeploymentSpec>(ResourceKind.BatchDeployment, deploymentRecord.SpecJson);
        if (stored is not ModelBatchDeploymentSpec)
        {
            throw SluiceException.Invalid($"Deployment '{deploymentName}' is a pipeline deployment; running pipeline deployments is not available in this version.", "invoke a model deployment");
        }

        var deployment = ApplyOverrides(deploymentRecord.SpecJson, properties);
        var jobName = request.Name is { Length: > 0 } given ? given : NewJobName(endpointName);
        if (ResourceNames.Job(jobName) is { } nameProblem)
        {
            throw SluiceException.Invalid(nameProblem);
        }

        var input = await ResolveInputAsync(db, workspace, properties, cancellationToken);
        var model = await ResolveModelAsync(db, workspace, deployment, cancellationToken);
        var output = await ResolveOutputAsync(workspace, jobName, properties, deployment.Settings.OutputFileName, cancellationToken);
        var outputStore = await datastores.GetClientAsync(workspace, output.Datastore, cancellationToken);
        if (deployment.Settings.OutputAction == OutputAction.SummaryOnly && outputStore.TryGetLocalPath(output.Folder) is null)
        {
            throw SluiceException.Invalid(
                $"Deployment '{deploymentName}' has output_action summary_only, whose scorer writes files into a folder on its machine, but the output datastore '{output.Datastore}' is not a local folder.",
                "write outputs to a local datastore (omit --output-path), or use output_action append_row, whose rows Sluice writes to any datastore");
        }

        var definition = new JobDefinition
        {
            Name = jobName,
            Workspace = workspace,
            EndpointName = endpointName,
            DeploymentName = deploymentName,
            DeploymentJson = SpecCodec.Encode(deployment),
            Input = input,
            Model = model,
            Output = output,
            Interpreter = await ResolveInterpreterAsync(db, workspace, deployment, cancellationToken),
        };
        var now = clock.GetUtcNow().UtcDateTime;
        var record = new JobRecord
        {
            Workspace = workspace,
            Name = jobName,
            EndpointName = endpointName,
            DeploymentName = deploymentName,
            Status = JobStatuses.NotStarted,
            DefinitionJson = definition.ToJson(),
            CreatedAt = now,
            ModifiedAt = now,
        };
        if (await db.Jobs.AsNoTracking().AnyAsync(j => j.Workspace == workspace && j.Name == jobName, cancellationToken))
        {
            throw SluiceException.Conflict($"A job named '{jobName}' already exists in workspace '{workspace}'.", "choose another --job-name, or omit it to get a generated one");
        }

        db.Jobs.Add(record);
        await db.SaveChangesAsync(cancellationToken);

        await engine.StartAsync(workspace, jobName, cancellationToken);
        return record;
    }

    public async Task<JobRecord> GetAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Jobs.AsNoTracking().FirstOrDefaultAsync(j => j.Workspace == workspace && j.Name == name, cancellationToken)
            ?? throw SluiceException.NotFound($"Job '{name}' in workspace '{workspace}'", $"list jobs with 'sluice job list -w {workspace}'");
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(string workspace, string? endpointName, int top, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (endpointName is not null)
        {
            await endpoints.RequireEndpointAsync(db, workspace, endpointName, cancellationToken);
        }

        var query = db.Jobs.AsNoTracking().Where(j => j.Workspace == workspace);
        if (endpointName is not null)
        {
            query = query.Where(j => j.EndpointName == endpointName);
        }

        return await query.OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Name).Take(top).ToListAsync(cancellationToken);
    }

    /// <summary>Asks a running job to stop. A finished job cannot be canceled (409).</summary>
    public async Task<JobRecord> CancelAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        var job = await GetAsync(workspace, name, cancellationToken);
        if (JobStatuses.IsTerminal(job.Status))
        {
            throw SluiceException.Conflict($"Job '{name}' already ended with status {job.Status}; only jobs that are still running can be canceled.");
        }

        await engine.CancelAsync(workspace, name, cancellationToken);
        return await GetAsync(workspace, name, cancellationToken);
    }

    /// <summary>
    /// Applies per-job overrides by rewriting the deployment spec and reading it again, so an override is validated
    /// exactly like the same value written in the deployment file.
    /// </summary>
    private static ModelBatchDeploymentSpec ApplyOverrides(string deploymentJson, InvokeProperties p)
    {
        var sets = new List<string>();
        void Set(string key, object? value)
        {
            if (value is not null)
            {
                sets.Add($"{key}={Convert.ToString(value, CultureInfo.InvariantCulture)}");
            }
        }

        Set("settings.mini_batch_size", p.MiniBatchSize is { } size ? (size.ValueKind == System.Text.Json.JsonValueKind.String ? size.GetString() : size.GetRawText()) : null);
        Set("resources.instance_count", p.Compute?.InstanceCount);
        Set("settings.max_concurrency_per_instance", p.MaxConcurrencyPerInstance);
        Set("settings.error_threshold", p.ErrorThreshold);
        Set("settings.mini_batch_error_threshold", p.MiniBatchErrorThreshold);
        Set("settings.retry_settings.max_retries", p.RetrySettings?.MaxRetries);
        Set("settings.retry_settings.timeout", TimeoutSeconds(p.RetrySettings?.Timeout));
        Set("settings.output_file_name", p.OutputFileName);
        Set("settings.logging_level", p.LoggingLevel);
        foreach (var (key, value) in p.EnvironmentVariables ?? [])
        {
            Set($"settings.environment_variables.{key}", value);
        }

        var result = SpecReader.Read(deploymentJson, "job overrides", null, SpecReadOptions.Server, DocumentKind.BatchDeployment, sets, overrideOrigin: "job override");
        return result.Require<ModelBatchDeploymentSpec>();
    }

    private static string? TimeoutSeconds(System.Text.Json.JsonElement? timeout)
    {
        switch (timeout)
        {
            case null:
                return null;
            case { ValueKind: System.Text.Json.JsonValueKind.Number } number:
                return number.GetRawText();
            case { ValueKind: System.Text.Json.JsonValueKind.String } text:
                var value = text.GetString()!;
                if (value.StartsWith('P'))
                {
                    try
                    {
                        return ((long)XmlConvert.ToTimeSpan(value).TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    }
                    catch (FormatException)
                    {
                        throw SluiceException.Invalid($"retrySettings.timeout '{value}' is not an ISO 8601 duration; write seconds (30) or a duration such as PT30S.");
                    }
                }

                return value;
            default:
                throw SluiceException.Invalid("retrySettings.timeout must be a number of seconds or an ISO 8601 duration such as PT30S.");
        }
    }

    private async Task<JobInputBinding> ResolveInputAsync(SluiceDbContext db, string workspace, InvokeProperties properties, CancellationToken cancellationToken)
    {
        var inputs = properties.InputData ?? [];
        if (inputs.Count != 1)
        {
            throw SluiceException.Invalid(
                inputs.Count == 0 ? "The invocation names no input." : $"The invocation names {inputs.Count} inputs ({string.Join(", ", inputs.Keys)}); model deployments take exactly one.",
                "pass one input, e.g. 'sluice batch-endpoint invoke -n <endpoint> --input <folder or file>'");
        }

        var (name, input) = inputs.Single();
        var declared = ParseIoType(input.JobInputType, "JobInputType");
        var type = declared ?? IoType.UriFolder;
        if (type is not (IoType.UriFolder or IoType.UriFile))
        {
            throw SluiceException.Invalid($"Input '{name}' has type {EnumNames<IoType>.ToName(type)}; model deployments read uri_folder or uri_file inputs.");
        }

        if (string.IsNullOrWhiteSpace(input.Uri))
        {
            throw SluiceException.Invalid($"Input '{name}' has no Uri.", "give a datastore path (azureml://datastores/<ds>/paths/<p>) or a data asset (azureml:<name>:<version>)");
        }

        if (!ReferenceParser.TryParse(input.Uri, ReferenceForms.Asset | ReferenceForms.DatastorePath | ReferenceForms.Web, null, out var reference, out var error))
        {
            throw SluiceException.Invalid($"Input '{name}': {error}.");
        }

        string? dataAsset = null;
        if (reference is AssetReference asset)
        {
            var record = await assets.ResolveAsync(db, workspace, ResourceKind.Data, asset, $"Input '{name}'", cancellationToken);
            var data = SpecCodec.Decode<DataAssetSpec>(ResourceKind.Data, record.SpecJson);
            dataAsset = AssetReference.Pinned(record.Name, record.Version).Text;
            type = data.Type == DataAssetType.UriFile ? IoType.UriFile : IoType.UriFolder;
            reference = data.Path;
        }

        if (reference is WebReference url)
        {
            reference = await datastores.ResolveUrlAsync(workspace, url, $"Input '{name}'", cancellationToken);
        }

        if (reference is not DatastorePathReference path)
        {
            throw SluiceException.Invalid($"Input '{name}' is '{reference!.Text}', which is not a storage path.", "pass azureml://datastores/<ds>/paths/<p>, a blob URL of a registered datastore, or a data asset");
        }

        var item = await datastores.RequireItemAsync(workspace, path, folder: null, $"Input '{name}'", cancellationToken);
        if (declared is null && dataAsset is null)
        {
            // Like Azure's CLI, an undeclared input takes the type of what the path holds.
            type = item.IsFolder ? IoType.UriFolder : IoType.UriFile;
        }

        if (item.IsFolder != (type == IoType.UriFolder))
        {
            throw SluiceException.Invalid($"Input '{name}' is declared {EnumNames<IoType>.ToName(type)} but '{path.Text}' is a {(item.IsFolder ? "folder" : "file")}.", item.IsFolder ? "declare it uri_folder" : "declare it uri_file");
        }

        return new JobInputBinding
        {
            Name = name,
            Type = type,
            Datastore = path.Datastore,
            Path = item.Path,
            DataAsset = dataAsset,
            Recursive = input.Recursive ?? false,
        };
    }

    /// <summary>Where the deployment's (pinned) model version keeps its files.</summary>
    private async Task<DatastoreLocation> ResolveModelAsync(SluiceDbContext db, string workspace, ModelBatchDeploymentSpec deployment, CancellationToken cancellationToken)
    {
        var record = await assets.ResolveAsync(db, workspace, ResourceKind.Model, deployment.Model.Reference!, $"Deployment '{deployment.Name}'", cancellationToken);
        var model = SpecCodec.Decode<ModelSpec>(ResourceKind.Model, record.SpecJson);
        return model.Path is DatastorePathReference path
            ? new DatastoreLocation(path.Datastore, Data.Datastores.DatastorePaths.Normalize(path.Path))
            : throw SluiceException.Invalid($"Model '{record.Name}' version '{record.Version}' is at '{model.Path.Text}'; jobs read models from datastores in this version.", "register the model from a local path or a datastore path");
    }

    private async Task<string?> ResolveInterpreterAsync(SluiceDbContext db, string workspace, ModelBatchDeploymentSpec deployment, CancellationToken cancellationToken)
    {
        if (deployment.Environment?.Reference is not { } reference)
        {
            return null;
        }

        var record = await assets.ResolveAsync(db, workspace, ResourceKind.Environment, reference, $"Deployment '{deployment.Name}'", cancellationToken);
        return SpecCodec.Decode<EnvironmentSpec>(ResourceKind.Environment, record.SpecJson).Interpreter;
    }

    private async Task<JobOutputBinding> ResolveOutputAsync(string workspace, string jobName, InvokeProperties properties, string fileName, CancellationToken cancellationToken)
    {
        var outputs = properties.OutputData ?? [];
        if (outputs.Count == 0)
        {
            return new JobOutputBinding { Name = JobLayout.DefaultOutputName, Datastore = JobLayout.LogDatastore, Folder = JobLayout.DefaultOutputFolder(jobName), FileName = fileName };
        }

        if (outputs.Count > 1 || !outputs.TryGetValue(JobLayout.DefaultOutputName, out var output))
        {
            throw SluiceException.Invalid($"Model deployments have one output, named '{JobLayout.DefaultOutputName}'; the invocation names {string.Join(", ", outputs.Keys)}.");
        }

        var type = ParseIoType(output.JobOutputType, "JobOutputType") ?? IoType.UriFolder;
        if (!ReferenceParser.TryParse(output.Uri ?? string.Empty, ReferenceForms.DatastorePath | ReferenceForms.Web, null, out var reference, out var error))
        {
            throw SluiceException.Invalid($"Output '{JobLayout.DefaultOutputName}': {error}.");
        }

        var path = reference is WebReference url
            ? await datastores.ResolveUrlAsync(workspace, url, $"Output '{JobLayout.DefaultOutputName}'", cancellationToken)
            : (DatastorePathReference)reference!;
        if (path.Workspace is not null && path.Workspace != workspace)
        {
            throw SluiceException.Invalid($"Output '{JobLayout.DefaultOutputName}' '{path.Text}' points into workspace '{path.Workspace}', but this job is in workspace '{workspace}'.", $"write azureml://datastores/{path.Datastore}/paths/{path.Path}");
        }

        var normalized = Data.Datastores.DatastorePaths.Normalize(path.Path);
        if (type == IoType.UriFile)
        {
            var slash = normalized.LastIndexOf('/');
            return new JobOutputBinding { Name = JobLayout.DefaultOutputName, Datastore = path.Datastore, Folder = slash < 0 ? string.Empty : normalized[..slash], FileName = normalized[(slash + 1)..] };
        }

        if (type != IoType.UriFolder)
        {
            throw SluiceException.Invalid($"Output '{JobLayout.DefaultOutputName}' must be uri_folder or uri_file.");
        }

        return new JobOutputBinding { Name = JobLayout.DefaultOutputName, Datastore = path.Datastore, Folder = normalized, FileName = fileName };
    }

    private static IoType? ParseIoType(string? text, string field) =>
        text is null ? null
        : EnumNames<IoType>.TryParse(text, out var type) ? type
        : throw SluiceException.Invalid($"{field} '{text}' is not known; expected UriFolder or UriFile.");

    /// <summary>Readable and unique: the endpoint, the time, and a random suffix.</summary>
    private string NewJobName(string endpointName) =>
        $"{endpointName}-{clock.GetUtcNow():yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
