using System.Security.Cryptography;
using System.Text;
using Sluice.Cli.Infrastructure;
using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;
using Spectre.Console;

namespace Sluice.Cli.Specs;

/// <summary>
/// Uploads what a spec names on this machine (model files, code folders, conda files, input data) to the workspace's
/// default datastore and rewrites the references to datastore paths, as <c>az ml</c> does. Uploads are addressed by
/// content hash, so creating the same thing twice uploads once.
/// </summary>
public sealed class LocalArtifactUploader(SluiceClient client, CliContext context)
{
    public const string Datastore = "workspaceblobstore";
    private const string CompleteMarker = ".upload-complete";

    public async Task<T> UploadAsync<T>(T spec, CancellationToken cancellationToken)
        where T : ResourceSpec => (T)await RewriteAsync(spec, cancellationToken);

    private async Task<ResourceSpec> RewriteAsync(ResourceSpec spec, CancellationToken cancellationToken) => spec switch
    {
        DataAssetSpec data => data with { Path = await PathAsync(data.Path, cancellationToken) },
        ModelSpec model => model with { Path = await PathAsync(model.Path, cancellationToken) },
        EnvironmentSpec environment => environment with
        {
            CondaFile = environment.CondaFile is null ? null : await PathAsync(environment.CondaFile, cancellationToken),
            Build = environment.Build is null ? null : environment.Build with { Path = await PathAsync(environment.Build.Path, cancellationToken) },
        },
        ModelBatchDeploymentSpec deployment => deployment with
        {
            Model = await BindingAsync(deployment.Model, cancellationToken),
            Environment = deployment.Environment is null ? null : await BindingAsync(deployment.Environment, cancellationToken),
            CodeConfiguration = deployment.CodeConfiguration is null ? null : deployment.CodeConfiguration with { Code = await PathAsync(deployment.CodeConfiguration.Code, cancellationToken) },
        },
        PipelineBatchDeploymentSpec pipeline => pipeline with
        {
            Component = pipeline.Component is null ? null : await ComponentAsync(pipeline.Component, cancellationToken),
        },
        CommandComponentSpec command => command with
        {
            Code = command.Code is null ? null : await PathAsync(command.Code, cancellationToken),
            Environment = command.Environment is null ? null : await BindingAsync(command.Environment, cancellationToken),
        },
        PipelineComponentSpec pipelineComponent => pipelineComponent with
        {
            Jobs = await StepsAsync(pipelineComponent.Jobs, cancellationToken),
        },
        _ => spec,
    };

    private async Task<AssetBinding<TSpec>> BindingAsync<TSpec>(AssetBinding<TSpec> binding, CancellationToken cancellationToken)
        where TSpec : ResourceSpec =>
        binding.Inline is null ? binding : AssetBinding<TSpec>.Of((TSpec)await RewriteAsync(binding.Inline, cancellationToken));

    /// <summary>A component given as a path to its YAML file is read and sent inline, with its own local paths uploaded.</summary>
    private async Task<AssetBinding<ComponentSpec>> ComponentAsync(AssetBinding<ComponentSpec> binding, CancellationToken cancellationToken)
    {
        if (binding.Reference is LocalPathReference file)
        {
            var component = SpecFiles.Read<ComponentSpec>(context, file.FullPath, DocumentKind.Component);
            return AssetBinding<ComponentSpec>.Of((ComponentSpec)await RewriteAsync(component, cancellationToken));
        }

        return await BindingAsync(binding, cancellationToken);
    }

    private async Task<IReadOnlyDictionary<string, PipelineStep>> StepsAsync(IReadOnlyDictionary<string, PipelineStep> steps, CancellationToken cancellationToken)
    {
        var result = new SortedDictionary<string, PipelineStep>(StringComparer.Ordinal);
        foreach (var (name, step) in steps)
        {
            var inputs = new SortedDictionary<string, StepInput>(StringComparer.Ordinal);
            foreach (var (inputName, input) in step.Inputs)
            {
                inputs[inputName] = input.Path is null ? input : input with { Path = await PathAsync(input.Path, cancellationToken) };
            }

            result[name] = step with { Component = await ComponentAsync(step.Component, cancellationToken), Inputs = inputs };
        }

        return result;
    }

    /// <summary>Uploads a local file or folder (once per content) and returns its datastore path; other references pass through.</summary>
    public async Task<Reference> PathAsync(Reference reference, CancellationToken cancellationToken)
    {
        if (reference is not LocalPathReference local)
        {
            return reference;
        }

        var isFolder = Directory.Exists(local.FullPath);
        if (!isFolder && !File.Exists(local.FullPath))
        {
            throw new CliException($"Local path '{local.WrittenPath}' does not exist (looked for {local.FullPath}).", ExitCodes.Invalid);
        }

        var name = Path.GetFileName(local.FullPath.TrimEnd(Path.DirectorySeparatorChar));
        var files = isFolder
            ? Directory.EnumerateFiles(local.FullPath, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [local.FullPath];
        if (files.Count == 0)
        {
            throw new CliException($"'{local.WrittenPath}' is an empty folder: there is nothing to upload.", ExitCodes.Invalid, hint: "put the files to score in it, or point at another folder");
        }

        var hash = await HashAsync(local.FullPath, files, cancellationToken);
        var root = $"LocalUpload/{hash}";
        var target = isFolder ? $"{root}/{name}/" : $"{root}/{name}";

        var listing = await client.GetAsync($"{client.W("datastores", Datastore, "files")}?path={Uri.EscapeDataString(root)}", cancellationToken);
        var alreadyThere = listing["value"]?.AsArray().Any(item => ((string?)item?["path"])?.EndsWith(CompleteMarker, StringComparison.Ordinal) == true) == true;
        if (!alreadyThere)
        {
            long totalBytes = files.Sum(f => new FileInfo(f).Length);
            context.Info($"[grey]Uploading {Markup.Escape(local.WrittenPath)} ({files.Count} file{(files.Count == 1 ? string.Empty : "s")}, {Bytes(totalBytes)})[/]");
            foreach (var file in files)
            {
                var relative = isFolder ? $"{name}/{Path.GetRelativePath(local.FullPath, file).Replace('\\', '/')}" : name;
                await using var stream = File.OpenRead(file);
                await client.UploadAsync(FilePath($"{root}/{relative}"), stream, overwrite: true, cancellationToken);
            }

            await client.UploadAsync(FilePath($"{root}/{CompleteMarker}"), new MemoryStream(), overwrite: true, cancellationToken);
        }

        return new DatastorePathReference(Datastore, target);
    }

    private string FilePath(string relative) =>
        client.W("datastores", Datastore, "files") + "/" + string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));

    /// <summary>A digest of relative names and contents: identical folders map to the same upload.</summary>
    private static async Task<string> HashAsync(string root, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file) + "\0"));
            await using var stream = File.OpenRead(file);
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB",
    };
}
