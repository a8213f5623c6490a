using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Sluice.Core.Diagnostics;
using Sluice.Core.Serialization;
using Sluice.Core.Jobs;
using Sluice.Core.Naming;
using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;
using Sluice.Data.Store;
using Sluice.Server.Datastores;
using Sluice.Server.Resources;
using Sluice.Server.Workspaces;

namespace Sluice.Server.BatchEndpoints;

/// <summary>Batch endpoints and their deployments, with the default-deployment and network-mode rules.</summary>
public sealed class BatchEndpointService(
    IDbContextFactory<SluiceDbContext> factory,
    ResourceRepository repository,
    WorkspaceService workspaces,
    AssetService assets,
    ComputeService computes,
    DatastoreService datastores)
{
    public const string NetworkModeKey = "network_mode";

    public async Task<(StoredResource Resource, bool Created)> CreateOrUpdateEndpointAsync(string workspace, BatchEndpointSpec spec, CancellationToken cancellationToken = default)
    {
        var workspaceSpec = await workspaces.RequireAsync(workspace, cancellationToken);
        CheckName(ResourceNames.Endpoint(spec.Name));
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await repository.FindAsync(db, workspace, ResourceKind.BatchEndpoint, spec.Name, cancellationToken: cancellationToken);
        if (spec.Defaults.DeploymentName is { } defaultName
            && await repository.FindAsync(db, workspace, ResourceKind.BatchDeployment, defaultName, parent: spec.Name, cancellationToken: cancellationToken) is null)
        {
            throw SluiceException.Invalid(
                $"defaults.deployment_name names deployment '{defaultName}', which does not exist in batch endpoint '{spec.Name}'.",
                record is null
                    ? "create the endpoint without defaults; its first deployment becomes the default"
                    : $"create it first with 'sluice batch-deployment create --endpoint-name {spec.Name}', or list deployments with 'sluice batch-deployment list --endpoint-name {spec.Name}'");
        }

        var created = record is null;
        if (record is null)
        {
            // The network mode is copied from the workspace now and kept: changing the workspace later does not move existing endpoints.
            var system = new JsonObject { [NetworkModeKey] = EnumNames<NetworkMode>.ToName(workspaceSpec.NetworkMode) };
            record = repository.NewRecord(workspace, spec, system: system);
            db.Resources.Add(record);
        }
        else
        {
            repository.Update(record, spec);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ResourceRepository.ToStored(record), created);
    }

    public async Task<StoredResource> GetEndpointAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return ResourceRepository.ToStored(await RequireEndpointAsync(db, workspace, name, cancellationToken));
    }

    public async Task<IReadOnlyList<StoredResource>> ListEndpointsAsync(string workspace, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var records = await repository.Query(db, workspace, ResourceKind.BatchEndpoint).OrderBy(r => r.Name).ToListAsync(cancellationToken);
        return records.Select(ResourceRepository.ToStored).ToList();
    }

    /// <summary>Deletes an endpoint and its deployments; refused while one of its jobs is running.</summary>
    public async Task DeleteEndpointAsync(string workspace, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await RequireEndpointAsync(db, workspace, name, cancellationToken);
        await RefuseWhileJobsRunAsync(db, workspace, name, null, cancellationToken);
        await repository.Query(db, workspace, ResourceKind.BatchDeployment, name).ExecuteDeleteAsync(cancellationToken);
        db.Resources.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<(StoredResource Resource, bool Created)> CreateOrUpdateDeploymentAsync(string workspace, string endpointName, BatchDeploymentSpec spec, bool setDefault, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        CheckName(ResourceNames.Deployment(spec.Name));
        if (spec.EndpointName is not null && spec.EndpointName != endpointName)
        {
            throw SluiceException.Invalid($"The deployment says endpoint_name '{spec.EndpointName}' but is being created under endpoint '{endpointName}'.", "make them agree, or omit endpoint_name from the file");
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var endpoint = await RequireEndpointAsync(db, workspace, endpointName, cancellationToken, asReference: true);
        spec = await ResolveAsync(db, workspace, spec with { EndpointName = endpointName }, cancellationToken);

        var record = await repository.FindAsync(db, workspace, ResourceKind.BatchDeployment, spec.Name, parent: endpointName, cancellationToken: cancellationToken);
        var created = record is null;
        if (record is null)
        {
            record = repository.NewRecord(workspace, spec, parent: endpointName);
            db.Resources.Add(record);
        }
        else
        {
            var current = (BatchDeploymentSpec)SpecCodec.Decode(ResourceKind.BatchDeployment, record.SpecJson);
            if (current.Type != spec.Type)
            {
                throw SluiceException.Conflict($"Deployment '{spec.Name}' is a {EnumNames<DeploymentType>.ToName(current.Type)} deployment; its type cannot change.", "create a deployment under another name");
            }

            repository.Update(record, spec);
        }

        // The first deployment of an endpoint becomes its default, as in Azure ML.
        var endpointSpec = (BatchEndpointSpec)SpecCodec.Decode(ResourceKind.BatchEndpoint, endpoint.SpecJson);
        if (setDefault || endpointSpec.Defaults.DeploymentName is null)
        {
            repository.Update(endpoint, endpointSpec with { Defaults = new BatchEndpointDefaults { DeploymentName = spec.Name } });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (ResourceRepository.ToStored(record), created);
    }

    public async Task<StoredResource> GetDeploymentAsync(string workspace, string endpointName, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await RequireEndpointAsync(db, workspace, endpointName, cancellationToken);
        var record = await repository.FindAsync(db, workspace, ResourceKind.BatchDeployment, name, parent: endpointName, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"Deployment '{name}' of batch endpoint '{endpointName}'", $"list deployments with 'sluice batch-deployment list --endpoint-name {endpointName}'");
        return ResourceRepository.ToStored(record);
    }

    public async Task<IReadOnlyList<StoredResource>> ListDeploymentsAsync(string workspace, string endpointName, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await RequireEndpointAsync(db, workspace, endpointName, cancellationToken);
        var records = await repository.Query(db, workspace, ResourceKind.BatchDeployment, endpointName).OrderBy(r => r.Name).ToListAsync(cancellationToken);
        return records.Select(ResourceRepository.ToStored).ToList();
    }

    public async Task DeleteDeploymentAsync(string workspace, string endpointName, string name, CancellationToken cancellationToken = default)
    {
        await workspaces.RequireAsync(workspace, cancellationToken);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var endpoint = await RequireEndpointAsync(db, workspace, endpointName, cancellationToken);
        var record = await repository.FindAsync(db, workspace, ResourceKind.BatchDeployment, name, parent: endpointName, cancellationToken: cancellationToken)
            ?? throw SluiceException.NotFound($"Deployment '{name}' of batch endpoint '{endpointName}'");
        var endpointSpec = (BatchEndpointSpec)SpecCodec.Decode(ResourceKind.BatchEndpoint, endpoint.SpecJson);
        if (endpointSpec.Defaults.DeploymentName == name)
        {
            throw SluiceException.Conflict(
                $"Deployment '{name}' is the default deployment of batch endpoint '{endpointName}' and cannot be deleted.",
                $"make another deployment the default first: 'sluice batch-endpoint update -n {endpointName} --set defaults.deployment_name=<other>', or delete the whole endpoint");
        }

        await RefuseWhileJobsRunAsync(db, workspace, endpointName, name, cancellationToken);
        db.Resources.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
    }

    internal async Task<ResourceRecord> RequireEndpointAsync(SluiceDbContext db, string workspace, string name, CancellationToken cancellationToken, bool asReference = false)
    {
        var record = await repository.FindAsync(db, workspace, ResourceKind.BatchEndpoint, name, cancellationToken: cancellationToken);
        if (record is not null)
        {
            return record;
        }

        const string hint = "create it with 'sluice batch-endpoint create -f endpoint.yml', or list endpoints with 'sluice batch-endpoint list'";
        throw asReference
            ? SluiceException.Invalid($"Batch endpoint '{name}' does not exist in workspace '{workspace}'.", hint)
            : SluiceException.NotFound($"Batch endpoint '{name}' in workspace '{workspace}'", hint);
    }

    /// <summary>Pins <c>@latest</c> references, registers inline assets, and checks that everything referenced exists.</summary>
    private async Task<BatchDeploymentSpec> ResolveAsync(SluiceDbContext db, string workspace, BatchDeploymentSpec spec, CancellationToken cancellationToken)
    {
        var usedBy = $"Deployment '{spec.Name}'";
        switch (spec)
        {
            case ModelBatchDeploymentSpec model:
                var modelRecord = model.Model.Reference is { } modelReference
                    ? await assets.ResolveAsync(db, workspace, ResourceKind.Model, modelReference, usedBy, cancellationToken)
                    : (await assets.CreateAsync(db, workspace, model.Model.Inline!, cancellationToken)).Record;
                model = model with { Model = AssetBinding<ModelSpec>.To(AssetReference.Pinned(modelRecord.Name, modelRecord.Version)) };

                if (model.Environment is { } environment)
                {
                    var environmentRecord = environment.Reference is { } environmentReference
                        ? await assets.ResolveAsync(db, workspace, ResourceKind.Environment, environmentReference, usedBy, cancellationToken)
                        : (await assets.CreateAsync(db, workspace, environment.Inline!, cancellationToken)).Record;
                    model = model with { Environment = AssetBinding<EnvironmentSpec>.To(AssetReference.Pinned(environmentRecord.Name, environmentRecord.Version)) };
                }

                if (model.CodeConfiguration?.Code is DatastorePathReference code)
                {
                    await datastores.RequireItemAsync(workspace, code, folder: true, $"{usedBy} code_configuration.code", cancellationToken);
                }
                else if (model.CodeConfiguration is not null)
                {
                    throw SluiceException.Invalid($"{usedBy} code_configuration.code '{model.CodeConfiguration.Code.Text}' is not a storage path.", "use azureml://datastores/<datastore>/paths/<folder> (the sluice CLI uploads local folders for you)");
                }

                if (model.Compute is not null)
                {
                    await computes.RequireAsync(db, workspace, model.Compute, usedBy, cancellationToken);
                }

                return model;

            case PipelineBatchDeploymentSpec pipeline:
                if (pipeline.Component?.Reference is { } componentReference)
                {
                    var componentRecord = await assets.ResolveAsync(db, workspace, ResourceKind.Component, componentReference, usedBy, cancellationToken);
                    pipeline = pipeline with { Component = AssetBinding<ComponentSpec>.To(AssetReference.Pinned(componentRecord.Name, componentRecord.Version)) };
                }
                else if (pipeline.Component?.Inline is { } inline)
                {
                    var componentRecord = (await assets.CreateAsync(db, workspace, inline, cancellationToken)).Record;
                    pipeline = pipeline with { Component = AssetBinding<ComponentSpec>.To(AssetReference.Pinned(componentRecord.Name, componentRecord.Version)) };
                }
                else if (pipeline.JobDefinition is not null)
                {
                    throw SluiceException.Invalid($"{usedBy} is defined from job '{pipeline.JobDefinition.Text}', but Sluice has no pipeline jobs to copy from yet.", "deploy the pipeline component itself with 'component:'");
                }

                if (pipeline.Settings.DefaultCompute is { } defaultCompute)
                {
                    await computes.RequireAsync(db, workspace, new NamedReference(defaultCompute.StartsWith("azureml:", StringComparison.Ordinal) ? defaultCompute["azureml:".Length..] : defaultCompute), usedBy, cancellationToken);
                }

                return pipeline;

            default:
                return spec;
        }
    }

    private static async Task RefuseWhileJobsRunAsync(SluiceDbContext db, string workspace, string endpointName, string? deploymentName, CancellationToken cancellationToken)
    {
        var running = await db.Jobs
            .Where(j => j.Workspace == workspace && j.EndpointName == endpointName && (deploymentName == null || j.DeploymentName == deploymentName) && JobStatuses.Active.Contains(j.Status))
            .OrderBy(j => j.Name).Select(j => j.Name).Take(5).ToListAsync(cancellationToken);
        if (running.Count > 0)
        {
            throw SluiceException.Conflict($"Jobs are still running on it: {string.Join(", ", running)}.", "cancel them with 'sluice job cancel -n <job>' or wait for them to finish");
        }
    }

    private static void CheckName(string? problem)
    {
        if (problem is not null)
        {
            throw SluiceException.Invalid(problem);
        }
    }
}
