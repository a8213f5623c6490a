using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;
using Sluice.Core.Jobs;
using Sluice.Core.Specs;
using Sluice.Scoring;
using Sluice.Scoring.Abstractions;
using Sluice.Scoring.Output;
using Sluice.Scoring.Tabular;

namespace Sluice.Cluster.Workers;

/// <summary>
/// Runs mini-batches with its scorer and commits each one's rows atomically under the mini-batch's index in the job's
/// staging folder: a retry or a rerun after a restart replaces that file whole, so rows are committed exactly once.
/// A group of short mini-batches (<see cref="RunManyAsync"/>) commits its rows in one file of its own instead, and
/// each result says where its rows are in it: the coordinator records that, so the store decides which bytes count.
/// Scoring runs on the thread pool, never on the silo's scheduler.
/// </summary>
[Placement.PinnedPlacement]
[Orleans.GrainDirectory.GrainDirectory(GrainDirectoryName = Sluice.Cluster.Placement.PinnedGrainDirectory.Name)]
public sealed partial class ScoringWorkerGrain(NodeOptions node, TimeProvider clock, ILogger<ScoringWorkerGrain> logger) : Grain, IScoringWorkerGrain
{
    private IBatchScorer? _scorer;
    private string? _initError;
    private TextWriter? _log;
    private TextWriter? _scorerLog;
    private TextWriter? _errors;

    private string WorkerId => this.GetPrimaryKeyString().Split('/')[^1];

    /// <summary>The next mini-batch's inputs, downloading while the current one scores; at most one is held.</summary>
    private Prefetch? _prefetch;

    private static readonly TimeSpan LogUploadInterval = TimeSpan.FromSeconds(15);

    private DateTimeOffset _logsUploaded = DateTimeOffset.MinValue;

    /// <summary>Log files written on this node for a remote log datastore, with where they go.</summary>
    private readonly Dictionary<string, (DatastoreRef Store, string Target)> _remoteLogs = new(StringComparer.Ordinal);

    /// <summary>A hint that came before the scorer was ready; taken up once it is.</summary>
    private MiniBatchWork? _pendingHint;

    private sealed record Prefetch(int Index, string Scratch, CancellationTokenSource Cancel, Task<(List<(MiniBatchItem Item, ScoringInput Input)> Inputs, List<FailedItemInfo> Unreadable)> Inputs);

    public Task PrefetchAsync(MiniBatchWork next)
    {
        // The scorer's kind (slice-aware or not) decides how slices are prepared: a hint that arrives while the first
        // run is still initialising the scorer waits for it.
        if (_scorer is null)
        {
            _pendingHint = _initError is null ? next : null;
            return Task.CompletedTask;
        }

        // Only downloads gain from running ahead; local inputs are read in place.
        if (next.Items.Count == 0 || next.Input.Open().TryGetLocalPath(next.Items[0].Path) is not null || _prefetch?.Index == next.Index)
        {
            return Task.CompletedTask;
        }

        Discard();
        var scratch = Path.Combine(node.ScratchDirectory, "inputs", "prefetch", $"{this.GetPrimaryKeyString().GetHashCode(StringComparison.Ordinal):x8}-{next.Index}");
        var cancel = new CancellationTokenSource();
        var sliceAware = _scorer is ISliceAwareScorer;
        _prefetch = new Prefetch(next.Index, scratch, cancel, Task.Run(() => PrepareInputsAsync(next, scratch, sliceAware, cancel.Token)));
        return Task.CompletedTask;
    }

    /// <summary>Drops a prefetch that will not be used (another mini-batch came, or the worker stops).</summary>
    private void Discard()
    {
        if (_prefetch is not { } stale)
        {
            return;
        }

        _prefetch = null;
        stale.Cancel.Cancel();
        _ = stale.Inputs.ContinueWith(
            _ =>
            {
                stale.Cancel.Dispose();
                if (Directory.Exists(stale.Scratch))
                {
                    Directory.Delete(stale.Scratch, recursive: true);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default);
    }

    public async Task<MiniBatchResult> RunAsync(WorkerSetup setup, MiniBatchWork work, CancellationToken cancellationToken)
    {
        if (!await ReadyAsync(setup, cancellationToken))
        {
            return Failed(work, "ScorerInitError", _initError!, initFailed: true);
        }

        return await RunOneAsync(setup, work, null, cancellationToken);
    }

    public async Task<IReadOnlyList<MiniBatchResult>> RunManyAsync(WorkerSetup setup, IReadOnlyList<MiniBatchWork> works, CancellationToken cancellationToken)
    {
        if (!await ReadyAsync(setup, cancellationToken))
        {
            return [.. works.Select(w => Failed(w, "ScorerInitError", _initError!, initFailed: true))];
        }

        // One staging file for the group, published once at the end: a run that fails leaves its mini-batch out of it
        // (the coordinator retries that one alone), and a group that never finishes publishes nothing.
        var results = new List<MiniBatchResult>(works.Count);
        var name = $"g{works[0].Index:D8}-{Guid.NewGuid():N}.csv";
        var client = setup.JobFolder.Open();
        await using var upload = await client.BeginWriteAsync($"{StagingPaths.Folder(setup.JobFolder.Path)}/{name}", overwrite: false, cancellationToken);
        var group = new GroupPart(name, upload.Content, new StringBuilder());
        foreach (var work in works)
        {
            results.Add(await RunOneAsync(setup, work, group, cancellationToken));
        }

        await _log!.WriteAsync(group.Log.ToString());
        await _log.FlushAsync(cancellationToken);
        if (group.Written > 0)
        {
            await upload.CommitAsync(cancellationToken);
        }

        return results;
    }

    /// <summary>The staging file a group of runs appends its committed rows to, and the group's worker-log lines.</summary>
    private sealed class GroupPart(string name, Stream content, StringBuilder log)
    {
        public string Name => name;

        public Stream Content => content;

        public StringBuilder Log => log;

        public long Written { get; set; }
    }

    /// <summary>Opens the logs and initialises the scorer on the first run; false when the scorer cannot start.</summary>
    private async Task<bool> ReadyAsync(WorkerSetup setup, CancellationToken cancellationToken)
    {
        _log ??= new LazyLogWriter(LogPath(setup, "sys/worker"));
        _scorerLog ??= new LazyLogWriter(LogPath(setup, "user/stdout"));
        _errors ??= new LazyLogWriter(LogPath(setup, "user/error"));
        if (_scorer is null && _initError is null)
        {
            await InitializeAsync(setup, cancellationToken);
        }

        if (_initError is not null)
        {
            return false;
        }

        if (_pendingHint is { } hint)
        {
            _pendingHint = null;
            await PrefetchAsync(hint);
        }

        return true;
    }

    /// <summary>Runs one mini-batch; its rows are committed in its own part file, or appended to the group's.</summary>
    private async Task<MiniBatchResult> RunOneAsync(WorkerSetup setup, MiniBatchWork work, GroupPart? group, CancellationToken cancellationToken)
    {
        var scorer = _scorer!;
        var scratch = Path.Combine(node.ScratchDirectory, "inputs", setup.Job, $"{work.Index}-{work.Attempt}-{WorkerId}");
        // A prefetch for another mini-batch is left alone: the hint for the next one may arrive before this run starts.
        var prefetched = _prefetch?.Index == work.Index ? _prefetch : null;
        if (prefetched is not null)
        {
            _prefetch = null;
            scratch = prefetched.Scratch;
        }

        var scratchUsed = prefetched is not null || work.Input.Access.Type != DatastoreType.Local || work.Items.Any(i => i.IsSlice);
        var inputs = new List<(MiniBatchItem Item, ScoringInput Input)>();
        var unreadable = new List<FailedItemInfo>();
        using var output = new MiniBatchOutput();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            if (prefetched is not null)
            {
                // Started while the previous run scored; a download that failed then is retried now, in the open.
                try
                {
                    (inputs, unreadable) = await prefetched.Inputs.WaitAsync(cancellationToken);
                    await _log!.WriteLineAsync($"{clock.GetUtcNow():O} mini-batch {work.Index}: inputs prefetched during the previous run");
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    if (Directory.Exists(scratch))
                    {
                        Directory.Delete(scratch, recursive: true);
                    }

                    (inputs, unreadable) = await PrepareInputsAsync(work, scratch, scorer is ISliceAwareScorer, cancellationToken);
                }
                finally
                {
                    prefetched.Cancel.Dispose();
                }
            }
            else
            {
                (inputs, unreadable) = await PrepareInputsAsync(work, scratch, scorer is ISliceAwareScorer, cancellationToken);
            }
            if (inputs.Count > 0)
            {
                await Task.Run(
                    async () =>
                    {
                        if (scorer is ISliceAwareScorer sliceAware)
                        {
                            await sliceAware.RunAsync(inputs.Select(i => i.Input).ToList(), output, cancellationToken);
                        }
                        else
                        {
                            await scorer.RunAsync(inputs.Select(i => i.Input.LocalPath).ToList(), output, cancellationToken);
                        }
                    },
                    cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Failed(work, "Canceled", "the run was canceled");
        }
        catch (Exception ex)
        {
            var (type, detail) = ex is Scoring.Scripts.ScriptException script ? (script.ErrorType, script.ScriptTraceback ?? ex.ToString()) : (ex.GetType().Name, ex.ToString());
            await _errors!.WriteLineAsync($"{clock.GetUtcNow():O} mini-batch {work.Index} attempt {work.Attempt} failed: {detail}");
            await _errors.FlushAsync(CancellationToken.None);
            await TryUploadLogsAsync();
            return Failed(work, type, ex.Message);
        }

        finally
        {
            // Local inputs are read in place: no scratch folder was made, and no call to look for one.
            if (scratchUsed && Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }

        // Failed items are reported by their datastore path (and slice), not the worker's local copy.
        var byLocal = inputs.ToDictionary(i => i.Input.Key, i => i.Item.Describe(), StringComparer.Ordinal);
        var failed = unreadable.Concat(output.Failed.Select(f => new FailedItemInfo(byLocal.GetValueOrDefault(f.Item, f.Item), f.ErrorType, f.Message))).ToList();
        if (setup.OutputAction == OutputAction.AppendRow)
        {
            AddMissingRows(work, output, byLocal, failed);
        }

        (string Name, long Offset, long Length)? part = null;
        if (setup.OutputAction == OutputAction.AppendRow && output.Columns is not null)
        {
            if (group is null)
            {
                await CommitRowsAsync(setup, work.Index, output, cancellationToken);
            }
            else
            {
                var offset = group.Written;
                group.Written += await output.CopyToAsync(group.Content, cancellationToken);
                part = (group.Name, offset, group.Written - offset);
            }
        }

        var line = $"{clock.GetUtcNow():O} mini-batch {work.Index} attempt {work.Attempt}: {work.Items.Count} items, {output.RowCount} rows, {failed.Count} failed, {stopwatch.ElapsedMilliseconds} ms";
        if (group is not null)
        {
            group.Log.Append(line).Append('\n'); // written once for the group
        }
        else
        {
            await _log!.WriteLineAsync(line);
            await _log.FlushAsync(cancellationToken);
        }

        if (failed.Count > 0)
        {
            foreach (var item in failed)
            {
                await _errors!.WriteLineAsync($"{clock.GetUtcNow():O} mini-batch {work.Index}: {item.Item}: {item.ErrorType}: {item.Message}");
            }

            await _errors!.FlushAsync(cancellationToken);
        }

        // Remote logs are whole-file uploads: after a run at most every LogUploadInterval, and always when the
        // worker stops or a run fails, so a long job does not upload its growing logs once per mini-batch.
        if (clock.GetUtcNow() - _logsUploaded >= LogUploadInterval)
        {
            await UploadLogsAsync(cancellationToken);
        }

        return new MiniBatchResult(work.Index, output.RowCount, work.Items.Count - failed.Count, failed, null, null, WorkerId)
        {
            Part = part?.Name,
            PartOffset = part?.Offset ?? 0,
            PartLength = part?.Length ?? 0,
        };
    }

    /// <summary>
    /// Azure ML's rule: a run that returns fewer rows than it got items counts the difference as failed items. They are
    /// attributed to files that produced no row when the scorer said which rows belong to which file.
    /// </summary>
    private static void AddMissingRows(MiniBatchWork work, MiniBatchOutput output, Dictionary<string, string> byKey, List<FailedItemInfo> failed)
    {
        var scored = work.Items.Count - failed.Count;
        var missing = scored - output.RowCount;
        if (missing <= 0)
        {
            return;
        }

        var message = $"the run returned {output.RowCount} rows for {scored} inputs; the difference counts as failed items";
        foreach (var file in output.FilesWithoutRows().Take(missing).ToList())
        {
            failed.Add(new FailedItemInfo(byKey.GetValueOrDefault(file, file), "NoRowReturned", "the scorer returned no row for this input"));
            missing--;
        }

        for (var i = 0; i < missing; i++)
        {
            failed.Add(new FailedItemInfo("(unattributed)", "MissingRows", message));
        }
    }

    public async Task StopAsync()
    {
        Discard();
        await TryUploadLogsAsync();
        ReleaseScorer();
        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Discard();
        await TryUploadLogsAsync();
        ReleaseScorer();
    }

    /// <summary>Log uploads on the way out are best effort: the runs' own results are already committed.</summary>
    private async Task TryUploadLogsAsync()
    {
        try
        {
            await UploadLogsAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or Core.Diagnostics.SluiceException or UnauthorizedAccessException)
        {
            LogLogUploadFailed(logger, WorkerId, ex.Message);
        }
    }

    private async Task InitializeAsync(WorkerSetup setup, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        try
        {
            // A model or code folder in blob storage is copied to this node's scratch once per worker.
            var modelPath = await LocalCopyAsync(setup.Model, Path.Combine(WorkerScratch(setup), "model"), cancellationToken);
            var codeFolder = setup.Code is null ? null : await LocalCopyAsync(setup.Code, Path.Combine(WorkerScratch(setup), "code"), cancellationToken);
            var outputFolder = setup.OutputFolder.Open().TryGetLocalPath(setup.OutputFolder.Path);
            if (outputFolder is not null)
            {
                Directory.CreateDirectory(outputFolder);
            }

            // Script scorers see what Azure ML sets for them, plus the deployment's own variables.
            var environment = new Dictionary<string, string>(setup.EnvironmentVariables, StringComparer.Ordinal)
            {
                ["AZUREML_MODEL_DIR"] = modelPath,
                ["AZUREML_BI_OUTPUT_PATH"] = outputFolder ?? string.Empty,
            };
            var request = new ScorerRequest(modelPath, codeFolder, setup.ScoringScript, Math.Max(1, node.Cores / Math.Max(1, setup.WorkersPerNode)))
            {
                Interpreter = setup.Interpreter,
                StdoutLog = LogPath(setup, "user/stdout"),
                StderrLog = LogPath(setup, "user/stderr"),
                Environment = environment,
            };
            var scorer = await new ScorerFactory(node.BuildCache).CreateAsync(request, _scorerLog!, cancellationToken);

            var context = new ScorerContext(modelPath, setup.OutputAction == OutputAction.SummaryOnly ? outputFolder : null, setup.EnvironmentVariables, WorkerId, _scorerLog!);
            await Task.Run(async () => await scorer.InitAsync(context, cancellationToken), cancellationToken);
            _scorer = scorer;
            var readyMs = (long)clock.GetElapsedTime(started).TotalMilliseconds;
            LogScorerReady(logger, setup.Job, WorkerId, readyMs);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _initError = ex.Message;
            await _errors!.WriteLineAsync($"{clock.GetUtcNow():O} scorer initialisation failed: {(ex is Scoring.Scripts.ScriptException { ScriptTraceback: { } traceback } ? traceback : ex.ToString())}");
            await _errors.FlushAsync(cancellationToken);
            LogInitFailed(logger, setup.Job, WorkerId, ex.Message);
        }
    }

    /// <summary>
    /// The scorer's view of the mini-batch: local paths of whole files; slices read in place by Sluice's own scorers, or
    /// copied (with the CSV header) into a scratch file of the original name for custom scorers. Items of a datastore
    /// that is not on this machine (blob storage) are downloaded into the scratch folder first, a slice as its header
    /// and its own bytes only. An item that cannot be read (deleted since the job was planned, or while it was read)
    /// fails alone, reported with its datastore and path; a datastore that refuses access fails the whole run.
    /// </summary>
    private static async Task<(List<(MiniBatchItem Item, ScoringInput Input)> Inputs, List<FailedItemInfo> Unreadable)> PrepareInputsAsync(MiniBatchWork work, string scratch, bool sliceAware, CancellationToken cancellationToken)
    {
        var client = work.Input.Open();
        var inputs = new List<(MiniBatchItem, ScoringInput)>(work.Items.Count);
        var unreadable = new List<FailedItemInfo>();
        for (var k = 0; k < work.Items.Count; k++)
        {
            var item = work.Items[k];
            var copy = Path.Combine(scratch, k.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.GetFileName(item.Path));
            var local = client.TryGetLocalPath(item.Path);
            if (local is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                try
                {
                    var slice = await DownloadAsync(client, item, copy, cancellationToken);
                    inputs.Add((item, slice is not null && sliceAware ? new ScoringInput($"{copy}#{slice.Start}", copy, slice) : ScoringInput.Whole(copy)));
                }
                catch (IOException ex)
                {
                    unreadable.Add(new FailedItemInfo(item.Describe(), ex is FileNotFoundException ? "InputNotFound" : "InputReadError", ex.Message));
                }

                continue;
            }

            if (!item.IsSlice)
            {
                inputs.Add((item, ScoringInput.Whole(local)));
                continue;
            }

            var original = new TabularSlice(item.Start!.Value, item.End!.Value, item.HeaderLength, item.FirstRow);
            if (sliceAware)
            {
                inputs.Add((item, new ScoringInput($"{local}#{original.Start}", local, original)));
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            CopySlice(local, original, copy);
            inputs.Add((item, ScoringInput.Whole(copy)));
        }

        return (inputs, unreadable);
    }

    /// <summary>
    /// Downloads an item into a local file. A slice arrives as the file's header followed by the slice's rows, and is
    /// returned as the slice of that copy holding them (numbered as in the original); a whole file returns null.
    /// </summary>
    private static async Task<TabularSlice?> DownloadAsync(Data.Datastores.IDatastoreClient client, MiniBatchItem item, string target, CancellationToken cancellationToken)
    {
        await using var source = await client.OpenReadAsync(item.Path, cancellationToken);
        await using var copy = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        if (!item.IsSlice)
        {
            await source.CopyToAsync(copy, 1 << 20, cancellationToken);
            return null;
        }

        var length = item.End!.Value - item.Start!.Value;
        await CopyRangeAsync(source, copy, 0, item.HeaderLength, cancellationToken);
        await CopyRangeAsync(source, copy, item.Start.Value, length, cancellationToken);
        return new TabularSlice(item.HeaderLength, item.HeaderLength + length, item.HeaderLength, item.FirstRow);
    }

    private static async Task CopyRangeAsync(Stream input, Stream output, long start, long length, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return;
        }

        var buffer = new byte[Math.Min(length, 1 << 20)];
        input.Position = start;
        while (length > 0)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("the input file is shorter than when the job was planned");
            }

            await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            length -= read;
        }
    }

    private static async Task CommitRowsAsync(WorkerSetup setup, int index, MiniBatchOutput output, CancellationToken cancellationToken)
    {
        var client = setup.JobFolder.Open();
        await using var upload = await client.BeginWriteAsync(StagingPaths.Part(setup.JobFolder.Path, index), overwrite: true, cancellationToken);
        await output.CopyToAsync(upload.Content, cancellationToken);
        await upload.CommitAsync(cancellationToken);
    }

    private static void CopySlice(string source, TabularSlice slice, string target)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        CopyRange(input, output, 0, slice.HeaderLength);
        CopyRange(input, output, slice.Start, slice.End - slice.Start);
    }

    private static void CopyRange(FileStream input, FileStream output, long start, long length)
    {
        var buffer = new byte[Math.Min(length, 1 << 20)];
        input.Position = start;
        while (length > 0)
        {
            var read = input.Read(buffer, 0, (int)Math.Min(buffer.Length, length));
            if (read == 0)
            {
                throw new EndOfStreamException("the input file is shorter than when the job was planned");
            }

            output.Write(buffer, 0, read);
            length -= read;
        }
    }

    private MiniBatchResult Failed(MiniBatchWork work, string type, string message, bool initFailed = false) =>
        new(work.Index, 0, 0, work.Items.Select(i => new FailedItemInfo(i.Describe(), type, message)).ToList(), type, message, WorkerId, initFailed);

    /// <summary>
    /// The worker's files: <c>logs/sys/worker/&lt;worker&gt;.txt</c> (Sluice's record of its mini-batches),
    /// <c>logs/user/stdout|stderr/&lt;worker&gt;.txt</c> (the scorer's own output) and <c>logs/user/error/&lt;worker&gt;.txt</c>.
    /// </summary>
    private string LogPath(WorkerSetup setup, string kind)
    {
        var target = $"{setup.JobFolder.Path}/logs/{kind}/{WorkerId}.txt";
        var path = setup.JobFolder.Open().TryGetLocalPath(target);
        if (path is null)
        {
            // The log datastore is remote (blob storage): write here, upload after each run and when the worker stops.
            path = Path.Combine(WorkerScratch(setup), "logs", kind, $"{WorkerId}.txt");
            _remoteLogs[path] = (setup.JobFolder, target);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private string WorkerScratch(WorkerSetup setup) => Path.Combine(node.ScratchDirectory, "workers", setup.Job, WorkerId);

    /// <summary>Copies the worker's logs to a remote log datastore (each upload replaces the previous copy whole).</summary>
    private async Task UploadLogsAsync(CancellationToken cancellationToken)
    {
        if (_remoteLogs.Count == 0)
        {
            return;
        }

        foreach (var writer in new[] { _log, _scorerLog, _errors })
        {
            if (writer is not null)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        foreach (var (local, (store, target)) in _remoteLogs)
        {
            if (!File.Exists(local))
            {
                continue;
            }

            await using var upload = await store.Open().BeginWriteAsync(target, overwrite: true, cancellationToken);
            await using (var source = new FileStream(local, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                await source.CopyToAsync(upload.Content, cancellationToken);
            }

            await upload.CommitAsync(cancellationToken);
        }

        _logsUploaded = clock.GetUtcNow();
    }

    /// <summary>A local path for a datastore file or folder: in place when the datastore is local, else downloaded under <paramref name="target"/>.</summary>
    private static async Task<string> LocalCopyAsync(DatastoreRef source, string target, CancellationToken cancellationToken)
    {
        var client = source.Open();
        if (client.TryGetLocalPath(source.Path) is { } local)
        {
            return local;
        }

        var item = await client.GetItemAsync(source.Path, cancellationToken)
            ?? throw new FileNotFoundException($"{source.Access.Describe()} has no file or folder '{source.Path}'.");
        var prefix = Data.Datastores.DatastorePaths.Normalize(source.Path);
        if (!item.IsFolder)
        {
            var file = Path.Combine(target, Path.GetFileName(prefix));
            await DownloadFileAsync(client, prefix, file, cancellationToken);
            return file;
        }

        await foreach (var entry in client.ListFilesAsync(prefix, recursive: true, cancellationToken))
        {
            var relative = Data.Datastores.DatastorePaths.Normalize(entry.Path)[(prefix.Length + (prefix.Length > 0 ? 1 : 0))..];
            await DownloadFileAsync(client, entry.Path, Path.Combine(target, relative), cancellationToken);
        }

        return target;
    }

    private static async Task DownloadFileAsync(Data.Datastores.IDatastoreClient client, string path, string target, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            return; // copied by this worker before (a re-initialisation)
        }

        var partial = target + ".partial";
        await using (var source = await client.OpenReadAsync(path, cancellationToken))
        await using (var copy = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await source.CopyToAsync(copy, cancellationToken);
        }

        File.Move(partial, target, overwrite: true);
    }

    private void ReleaseScorer()
    {
        switch (_scorer)
        {
            case IDisposable disposable:
                disposable.Dispose();
                break;
            case IAsyncDisposable asyncDisposable:
                asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
                break;
        }

        _scorer = null;
        _log?.Dispose();
        _log = null;
        _scorerLog?.Dispose();
        _scorerLog = null;
        _errors?.Dispose();
        _errors = null;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning, Message = "Job {Job}: worker {Worker} could not initialise its scorer: {Error}")]
    private static partial void LogInitFailed(ILogger logger, string job, string worker, string error);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Job {Job}: worker {Worker} scorer ready in {Milliseconds} ms")]
    private static partial void LogScorerReady(ILogger logger, string job, string worker, long milliseconds);

    [LoggerMessage(EventId = 2410, Level = LogLevel.Warning, Message = "Worker {Worker} could not upload its logs: {Error}")]
    private static partial void LogLogUploadFailed(ILogger logger, string worker, string error);
}

/// <summary>Where a job keeps its committed mini-batch rows before the final merge.</summary>
public static class StagingPaths
{
    public static string Folder(string jobFolder) => $"{jobFolder}/staging";

    public static string Part(string jobFolder, int index) => $"{jobFolder}/staging/{index:D8}.csv";
}
