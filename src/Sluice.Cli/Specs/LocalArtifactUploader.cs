using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
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

    /// <summary>Files larger than this go in blocks of <see cref="BlockSize"/>, which an interrupted upload resumes.</summary>
    public const long BlockUploadThreshold = 8 * 1024 * 1024;

    public const int BlockSize = 8 * 1024 * 1024;

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

        var hash = await ContentHashAsync(local.FullPath, files, cancellationToken);
        var root = $"LocalUpload/{hash}";
        var target = isFolder ? $"{root}/{name}/" : $"{root}/{name}";

        var listing = await client.GetAsync($"{client.W("datastores", Datastore, "files")}?path={Uri.EscapeDataString(root)}", cancellationToken);
        var alreadyThere = listing["value"]?.AsArray().Any(item => ((string?)item?["path"])?.EndsWith(CompleteMarker, StringComparison.Ordinal) == true) == true;
        if (!alreadyThere)
        {
            long totalBytes = files.Sum(f => new FileInfo(f).Length);
            context.Info($"[grey]Uploading {Markup.Escape(local.WrittenPath)} ({files.Count} file{(files.Count == 1 ? string.Empty : "s")}, {Bytes(totalBytes)})[/]");
            await UploadProgress.RunAsync(context, local.WrittenPath, totalBytes, async progress =>
            {
                foreach (var file in files)
                {
                    var relative = isFolder ? $"{name}/{Path.GetRelativePath(local.FullPath, file).Replace('\\', '/')}" : name;
                    var length = new FileInfo(file).Length;
                    if (length > BlockUploadThreshold)
                    {
                        await UploadInBlocksAsync(file, $"{root}/{relative}", length, progress, cancellationToken);
                    }
                    else
                    {
                        await using var stream = new CountingStream(File.OpenRead(file), progress.Advance);
                        await client.UploadAsync(FilePath($"{root}/{relative}"), stream, overwrite: true, cancellationToken);
                    }
                }
            });

            await client.UploadAsync(FilePath($"{root}/{CompleteMarker}"), new MemoryStream(), overwrite: true, cancellationToken);
        }

        return new DatastorePathReference(Datastore, target);
    }

    /// <summary>
    /// Sends a large file in numbered blocks through the server's block-upload API and commits it. The upload id comes
    /// from the target path and size, so after an interruption the next run finds the same upload, asks which blocks
    /// the server holds, and sends only the others.
    /// </summary>
    private async Task UploadInBlocksAsync(string file, string target, long length, UploadProgress progress, CancellationToken cancellationToken)
    {
        var upload = client.W("datastores", Datastore, "uploads", UploadId(Datastore, target, length, BlockSize));
        var begin = new JsonObject { ["path"] = target, ["length"] = length, ["block_size"] = BlockSize, ["overwrite"] = true };
        var state = await client.PutAsync(upload, begin.ToJsonString(), cancellationToken);
        var count = (int)state["block_count"]!;
        var present = (state["blocks"]?.AsArray() ?? []).Select(b => (int)b!).ToHashSet();
        if (present.Count > 0)
        {
            context.Info($"[grey]Resuming {Markup.Escape(Path.GetFileName(file))}: {present.Count} of {count} blocks are already on the server[/]");
            progress.Advance(present.Sum(index => BlockLength(index, count, length)));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
            for (var index = 0; index < count; index++)
            {
                if (present.Contains(index))
                {
                    continue;
                }

                var blockLength = (int)BlockLength(index, count, length);
                stream.Position = (long)index * BlockSize;
                await stream.ReadExactlyAsync(buffer.AsMemory(0, blockLength), cancellationToken);
                await client.PutBytesAsync($"{upload}/blocks/{index}", buffer.AsMemory(0, blockLength), cancellationToken);
                progress.Advance(blockLength);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        await client.PostAsync($"{upload}/commit", "{}", cancellationToken);
    }

    private static long BlockLength(int index, int count, long length) => index < count - 1 ? BlockSize : length - ((long)BlockSize * (count - 1));

    /// <summary>The id of a block upload: the same file to the same place gets the same id, so a later run resumes it.</summary>
    internal static string UploadId(string datastore, string target, long length, int blockSize) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{datastore}\n{target}\n{length}\n{blockSize}")))[..32];

    private string FilePath(string relative) =>
        client.W("datastores", Datastore, "files") + "/" + string.Join('/', relative.Split('/').Select(Uri.EscapeDataString));

    /// <summary>A digest of relative names and contents: identical folders map to the same upload.</summary>
    internal static async Task<string> ContentHashAsync(string root, IReadOnlyList<string> files, CancellationToken cancellationToken)
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

    /// <summary>A read-only stream that reports how many bytes were read, for progress of a single-request upload.</summary>
    private sealed class CountingStream(Stream inner, Action<long> onRead) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }

        private int Counted(int read)
        {
            onRead(read);
            return read;
        }
    }
}
