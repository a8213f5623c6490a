using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Sluice.Core.Diagnostics;
using Sluice.Data.Datastores;
using Sluice.Server.Datastores;
using Sluice.Server.Hosting;

namespace Sluice.Server.Uploads;

/// <summary>What a client asks for when it starts (or resumes) a block upload.</summary>
public sealed class BeginUploadRequest
{
    /// <summary>The datastore-relative path of the file once committed.</summary>
    public string? Path { get; set; }

    /// <summary>The file's length in bytes.</summary>
    public long? Length { get; set; }

    [JsonPropertyName("block_size")]
    public int? BlockSize { get; set; }

    public bool? Overwrite { get; set; }
}

/// <summary>An upload in progress: the file it will become, and the blocks the server already holds.</summary>
public sealed record UploadState(string Id, string Datastore, string Path, long Length, int BlockSize, bool Overwrite, IReadOnlyList<int> Blocks)
{
    public int BlockCount => BlockCounts.Of(Length, BlockSize);

    /// <summary>The length block <paramref name="index"/> must have: the block size, except for a shorter last block.</summary>
    public long BlockLength(int index) => index < BlockCount - 1 ? BlockSize : Length - ((long)BlockSize * (BlockCount - 1));
}

internal static class BlockCounts
{
    public static int Of(long length, int blockSize) => (int)((length + blockSize - 1) / blockSize);
}

/// <summary>
/// Resumable uploads of large files in numbered blocks. Blocks are staged under an upload id in the server's data
/// directory (<c>uploads/</c>); a client that was interrupted asks which blocks arrived and sends only the others;
/// committing writes the blocks in order through the datastore's atomic write, so the file appears whole or not at
/// all. The client picks the id (the CLI derives it from the target path and the file's size), which is what lets a
/// later run find the same upload. Uploads untouched for <see cref="Expiry"/> are removed.
/// </summary>
public sealed partial class BlockUploads(SluiceServerOptions options, DatastoreService datastores, TimeProvider clock, ILogger<BlockUploads> logger)
{
    public const int MinBlockSize = 64 * 1024;
    public const int MaxBlockSize = 100 * 1024 * 1024;

    /// <summary>As in Azure Blob Storage, a file has at most 50,000 blocks.</summary>
    public const int MaxBlocks = 50_000;

    public static readonly TimeSpan Expiry = TimeSpan.FromDays(7);

    private const string StateFile = "upload.json";

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _commits = new(StringComparer.Ordinal);
    private long _blocksReceived;

    /// <summary>Blocks received by this server since it started (re-sent blocks count again).</summary>
    public long BlocksReceived => Interlocked.Read(ref _blocksReceived);

    private string Root => Path.Combine(options.DataDirectory, "uploads");

    /// <summary>Starts an upload, or returns the one with this id if it describes the same file (a resume).</summary>
    public async Task<(UploadState State, bool Created)> BeginAsync(string workspace, string datastore, string id, BeginUploadRequest request, CancellationToken cancellationToken = default)
    {
        CheckId(id);
        var problems = new List<string>();
        var path = request.Path is { Length: > 0 } given ? DatastorePaths.Normalize(given) : null;
        if (path is null or { Length: 0 })
        {
            problems.Add("path: the datastore path of the file is required");
        }

        if (request.Length is not >= 0)
        {
            problems.Add("length: the file's length in bytes is required (0 or more)");
        }

        if (request.BlockSize is not (>= MinBlockSize and <= MaxBlockSize))
        {
            problems.Add($"block_size: required, from {MinBlockSize} to {MaxBlockSize} bytes");
        }
        else if (request.Length is > 0 && BlockCounts.Of(request.Length.Value, request.BlockSize.Value) > MaxBlocks)
        {
            problems.Add($"block_size: a file of {request.Length} bytes needs more than {MaxBlocks} blocks of {request.BlockSize}; use larger blocks");
        }

        if (problems.Count > 0)
        {
            throw SluiceException.Invalid($"The upload cannot start: {string.Join("; ", problems)}.");
        }

        var client = await datastores.GetClientAsync(workspace, datastore, cancellationToken);
        var overwrite = request.Overwrite ?? false;
        if (!overwrite && await client.GetItemAsync(path!, cancellationToken) is not null)
        {
            throw SluiceException.Conflict($"'{path}' already exists in datastore '{datastore}'.", "start the upload with overwrite=true to replace it");
        }

        SweepExpired();
        var folder = Folder(workspace, datastore, id);
        var wanted = new StoredState(path!, request.Length!.Value, request.BlockSize!.Value, overwrite);
        if (await ReadStateAsync(folder, cancellationToken) is { } existing)
        {
            if (existing != wanted)
            {
                throw SluiceException.Conflict($"Upload '{id}' of datastore '{datastore}' already exists for another file ('{existing.Path}', {existing.Length} bytes in blocks of {existing.BlockSize}).", "use another upload id, or delete this upload first");
            }

            return (State(id, datastore, existing, folder), false);
        }

        Directory.CreateDirectory(folder);
        await WriteAtomicallyAsync(Path.Combine(folder, StateFile), JsonSerializer.SerializeToUtf8Bytes(wanted, StateJson), cancellationToken);
        var started = State(id, datastore, wanted, folder);
        LogStarted(logger, id, datastore, workspace, wanted.Length, started.BlockCount);
        return (started, true);
    }

    public async Task<UploadState> GetAsync(string workspace, string datastore, string id, CancellationToken cancellationToken = default)
    {
        var (folder, state) = await RequireAsync(workspace, datastore, id, cancellationToken);
        return State(id, datastore, state, folder);
    }

    /// <summary>Stages one block. Sending a block again replaces it; its length must be exactly what its index calls for.</summary>
    public async Task<long> PutBlockAsync(string workspace, string datastore, string id, int index, Stream content, CancellationToken cancellationToken = default)
    {
        var (folder, state) = await RequireAsync(workspace, datastore, id, cancellationToken);
        var upload = State(id, datastore, state, folder);
        if (index < 0 || index >= upload.BlockCount)
        {
            throw SluiceException.Invalid($"Block {index} is out of range: upload '{id}' has blocks 0 to {upload.BlockCount - 1}.");
        }

        var expected = upload.BlockLength(index);
        var temporary = Path.Combine(folder, $".{BlockName(index)}.{Guid.NewGuid():N}.partial");
        long written = 0;
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    written += read;
                    if (written > expected)
                    {
                        break;
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            if (written != expected)
            {
                throw SluiceException.Invalid($"Block {index} of upload '{id}' has {(written > expected ? "more than " + expected.ToString(CultureInfo.InvariantCulture) : written.ToString(CultureInfo.InvariantCulture))} bytes; it must have {expected}.");
            }

            File.Move(temporary, Path.Combine(folder, BlockName(index)), overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        Interlocked.Increment(ref _blocksReceived);
        return written;
    }

    /// <summary>Writes the staged blocks, in order, as one file through the datastore's atomic write, then removes the upload.</summary>
    public async Task<DatastoreItem> CommitAsync(string workspace, string datastore, string id, CancellationToken cancellationToken = default)
    {
        var (folder, state) = await RequireAsync(workspace, datastore, id, cancellationToken);
        var gate = _commits.GetOrAdd(folder, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!Directory.Exists(folder))
            {
                throw SluiceException.NotFound($"Upload '{id}' of datastore '{datastore}'", "it was committed or removed; start it again");
            }

            var upload = State(id, datastore, state, folder);
            var missing = Enumerable.Range(0, upload.BlockCount).Except(upload.Blocks).ToList();
            if (missing.Count > 0)
            {
                throw SluiceException.Conflict(
                    $"Upload '{id}' is missing {missing.Count} of {upload.BlockCount} block(s): {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : string.Empty)}.",
                    "send the missing blocks, then commit again");
            }

            var client = await datastores.GetClientAsync(workspace, datastore, cancellationToken);
            try
            {
                await using var target = await client.BeginWriteAsync(state.Path, state.Overwrite, cancellationToken);
                for (var index = 0; index < upload.BlockCount; index++)
                {
                    await using var block = new FileStream(Path.Combine(folder, BlockName(index)), FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
                    await block.CopyToAsync(target.Content, cancellationToken);
                }

                await target.CommitAsync(cancellationToken);
            }
            catch (IOException ex) when (!state.Overwrite)
            {
                throw SluiceException.Conflict($"'{state.Path}' cannot be written in datastore '{datastore}': {ex.Message}", "start the upload with overwrite=true to replace it");
            }

            Directory.Delete(folder, recursive: true);
            LogCommitted(logger, id, state.Path, datastore, workspace, state.Length);
            return await client.GetItemAsync(state.Path, cancellationToken) ?? new DatastoreItem(state.Path, false, state.Length, clock.GetUtcNow());
        }
        finally
        {
            gate.Release();
            _commits.TryRemove(new KeyValuePair<string, SemaphoreSlim>(folder, gate));
        }
    }

    /// <summary>Abandons an upload and removes its blocks.</summary>
    public async Task AbortAsync(string workspace, string datastore, string id, CancellationToken cancellationToken = default)
    {
        var (folder, _) = await RequireAsync(workspace, datastore, id, cancellationToken);
        Directory.Delete(folder, recursive: true);
    }

    private async Task<(string Folder, StoredState State)> RequireAsync(string workspace, string datastore, string id, CancellationToken cancellationToken)
    {
        CheckId(id);
        await datastores.GetAsync(workspace, datastore, cancellationToken);
        var folder = Folder(workspace, datastore, id);
        var state = await ReadStateAsync(folder, cancellationToken)
            ?? throw SluiceException.NotFound($"Upload '{id}' of datastore '{datastore}'", "start it with PUT .../uploads/<id>");
        return (folder, state);
    }

    private static UploadState State(string id, string datastore, StoredState state, string folder)
    {
        var count = BlockCounts.Of(state.Length, state.BlockSize);
        var blocks = new List<int>();
        for (var index = 0; index < count; index++)
        {
            var file = new FileInfo(Path.Combine(folder, BlockName(index)));
            var expected = index < count - 1 ? state.BlockSize : state.Length - ((long)state.BlockSize * (count - 1));
            if (file.Exists && file.Length == expected)
            {
                blocks.Add(index);
            }
        }

        return new UploadState(id, datastore, state.Path, state.Length, state.BlockSize, state.Overwrite, blocks);
    }

    private void SweepExpired()
    {
        if (!Directory.Exists(Root))
        {
            return;
        }

        var cutoff = clock.GetUtcNow().UtcDateTime - Expiry;
        foreach (var folder in Directory.EnumerateDirectories(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }))
        {
            if (File.Exists(Path.Combine(folder, StateFile)) && Directory.GetLastWriteTimeUtc(folder) < cutoff)
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                    LogExpired(logger, folder);
                }
                catch (IOException)
                {
                    // Another server or request removed it first.
                }
            }
        }
    }

    private string Folder(string workspace, string datastore, string id) => Path.Combine(Root, workspace, datastore, id);

    private static string BlockName(int index) => $"block-{index.ToString("D6", CultureInfo.InvariantCulture)}";

    private static void CheckId(string id)
    {
        if (!UploadId().IsMatch(id))
        {
            throw SluiceException.Invalid($"'{id}' is not an upload id: use 8 to 128 letters, digits, '-' or '_'.");
        }
    }

    private static async Task<StoredState?> ReadStateAsync(string folder, CancellationToken cancellationToken)
    {
        var file = Path.Combine(folder, StateFile);
        if (!File.Exists(file))
        {
            return null;
        }

        await using var stream = File.OpenRead(file);
        return await JsonSerializer.DeserializeAsync<StoredState>(stream, StateJson, cancellationToken);
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.{Guid.NewGuid():N}.partial";
        await File.WriteAllBytesAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record StoredState(string Path, long Length, int BlockSize, bool Overwrite);

    [GeneratedRegex("^[A-Za-z0-9_-]{8,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex UploadId();

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Block upload {Id} started in datastore {Datastore} of workspace {Workspace}: {Length} bytes in {Blocks} block(s)")]
    private static partial void LogStarted(ILogger logger, string id, string datastore, string workspace, long length, int blocks);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Block upload {Id} committed as {Path} in datastore {Datastore} of workspace {Workspace} ({Length} bytes)")]
    private static partial void LogCommitted(ILogger logger, string id, string path, string datastore, string workspace, long length);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Removed the expired block upload in {Folder}")]
    private static partial void LogExpired(ILogger logger, string folder);
}
