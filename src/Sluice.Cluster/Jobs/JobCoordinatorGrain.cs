using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Sluice.Cluster.Compute;
using Sluice.Cluster.Workers;
using Sluice.Core.Jobs;
using Sluice.Core.References;
using Sluice.Core.Specs;
using Sluice.Data.Datastores;
using Sluice.Data.Store;

namespace Sluice.Cluster.Jobs;

/// <summary>
/// Runs one job: Queued → Preparing (plan) → Running (dispatch to workers, retries, timeouts, error budget) →
/// Finalizing (merge committed rows, write logs) → Completed / Failed / Canceled. Every step is recorded in the store,
/// so a coordinator started again after a crash resumes where the last one stopped. Reentrant: cancel requests and
/// worker replies interleave with the dispatch loop on the grain's single thread, so its state needs no locks.
/// </summary>
[Reentrant]
[Placement.ServerPlacement]
public sealed partial class JobCoordinatorGrain(JobStore jobs, DatastoreRegistry datastores, JobEngineOptions options, ILocalSiloDetails localSilo, IClusterMembershipService membership, IServiceProvider services, TimeProvider clock, ILogger<JobCoordinatorGrain> logger) : Grain, IJobCoordinatorGrain, IDisposable
{
    /// <summary>Present on servers (which model the network); a silo without it checks no flows.</summary>
    private readonly Network.DatastoreFlowGate? _flowGate = services.GetService(typeof(Network.DatastoreFlowGate)) as Network.DatastoreFlowGate;

    private readonly IClusterMembershipService _membership = membership;
    private readonly ILogger _logger = logger;
    private readonly ILocalSiloDetails _localSilo = localSilo;
    private readonly JobStore _jobs = jobs;
    private readonly TimeProvider _clock = clock;
    private readonly JobEngineOptions _options = options;
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly HashSet<string> _workers = new(StringComparer.Ordinal);
    private Task? _run;
    private CancellationTokenSource _cancel = new();

    /// <summary>
    /// Set when this activation goes away while the job runs (its server stops, or Orleans moves it): the job is left
    /// as recorded, neither failed nor canceled, for the next activation — on this server after a restart, or on
    /// another server of the control plane — to resume.
    /// </summary>
    private bool _suspended;

    private string Workspace => this.GetPrimaryKeyString().Split('/', 2)[0];

    private string JobName => this.GetPrimaryKeyString().Split('/', 2)[1];

    public Task StartAsync()
    {
        if (_run is null || _run.IsCompleted)
        {
            _cancel = new CancellationTokenSource();
            DelayDeactivation(TimeSpan.FromDays(30));
            _run = RunAsync();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_run is { IsCompleted: false } run)
        {
            _suspended = true;
            LogJobSuspended(logger, Workspace, JobName, reason.Description);
            await _cancel.CancelAsync();
            try
            {
                await run.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Shutdown did not wait for the run to wind down; whatever it had not recorded is run again on resumption.
            }
        }
    }

    public async Task CancelAsync()
    {
        if (_run is null || _run.IsCompleted)
        {
            // Not running in this activation: a run sees the recorded CancelRequested and ends the job Canceled.
            await StartAsync();
            return;
        }

        await _cancel.CancelAsync();
    }

    private async Task RunAsync()
    {
        var job = await _jobs.FindAsync(Workspace, JobName);
        if (job is null || JobStatuses.IsTerminal(job.Status))
        {
            DeactivateOnIdle();
            return;
        }

        var definition = JobDefinition.FromJson(job.DefinitionJson);
        var logs = new JobLogs(await datastores.OpenAsync(Workspace, JobLayout.LogDatastore), JobLayout.JobFolder(JobName));
        try
        {
            await RunJobAsync(job, definition, logs);
        }
        catch (Exception) when (_suspended)
        {
            // The silo is going away; the next activation resumes the job from what the store holds.
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_cancel.IsCancellationRequested)
        {
            LogJobCrashed(logger, ex, Workspace, JobName);
            await EndAsync(logs, definition, JobStatuses.Failed, $"The job stopped on an unexpected error: {ex.Message}", merge: false);
        }
        finally
        {
            await StopWorkersAsync();
            DeactivateOnIdle();
        }
    }

    private async Task RunJobAsync(JobRecord job, JobDefinition definition, JobLogs logs)
    {
        if (job.Status == JobStatuses.CancelRequested)
        {
            await EndAsync(logs, definition, JobStatuses.Canceled, job.PlannedAt is null ? "Canceled before it started." : "Canceled by request; the rows of the mini-batches committed before are kept.", merge: job.PlannedAt is not null);
            return;
        }

        var deployment = definition.Deployment();
        var settings = deployment.Settings;
        var input = await datastores.GetAccessAsync(Workspace, definition.Input.Datastore);
        var output = await datastores.GetAccessAsync(Workspace, definition.Output.Datastore);
        var outputPath = $"{definition.Output.Folder}/{definition.Output.FileName}".TrimStart('/');

        if (job.Status == JobStatuses.Finalizing)
        {
            // The previous run scored everything and stopped while finalising: finalise again (the merge is idempotent).
            await EndAsync(logs, definition, JobStatuses.Completed, null, merge: true, resumedFinalizing: true);
            return;
        }

        if (job.PlannedAt is null)
        {
            await _jobs.TransitionAsync(Workspace, JobName, JobStatuses.Queued);
            await _jobs.TransitionAsync(Workspace, JobName, JobStatuses.Preparing);
            if (settings.OutputAction == OutputAction.AppendRow && await datastores.Open(output).GetItemAsync(outputPath) is not null)
            {
                await EndAsync(logs, definition, JobStatuses.Failed,
                    $"The output file {Uri(definition.Output.Datastore, outputPath)} already exists; Sluice never overwrites outputs. Choose another folder with --output-path, or another name with --set output_file_name=<name>.",
                    merge: false);
                return;
            }

            // A plan left half-written by a crash is discarded and made again.
            await _jobs.ResetPlanAsync(Workspace, JobName);
            // Planning lists the input (a million files take half a minute, much of it synchronous directory reads) and
            // runs on the thread pool, so the grain's turn stays free for cancel requests meanwhile.
            var (workspace, jobName, inputClient, cancel) = (Workspace, JobName, datastores.Open(input), _cancel.Token);
            var (miniBatches, itemCount) = await Task.Run(() => JobPlanner.PlanAsync(_jobs, workspace, jobName, inputClient, definition.Input, settings.MiniBatchSize, cancel), cancel);
            await _jobs.CompletePlanAsync(Workspace, JobName, miniBatches, itemCount);
            if (itemCount == 0)
            {
                await EndAsync(logs, definition, JobStatuses.Failed, $"The input {definition.Input.Uri} holds no files to score{(definition.Input.Recursive ? string.Empty : " (only its top level is read; pass --recursive to read subfolders)")}.", merge: false);
                return;
            }
        }
        else
        {
            // Resuming: mini-batches that were running when the last coordinator stopped are run again.
            await _jobs.RequeueRunningAsync(Workspace, JobName);
        }

        var setup = await SetupAsync(definition, deployment, output);
        if (!await _jobs.TransitionAsync(Workspace, JobName, JobStatuses.Running))
        {
            await EndAsync(logs, definition, JobStatuses.Canceled, "Canceled before scoring started.", merge: true);
            return;
        }

        var before = (await _jobs.FindAsync(Workspace, JobName))!;
        var cluster = deployment.Compute is NamedReference compute ? $"{Workspace}/{compute.Name}" : null;
        using var dispatch = new Dispatch(this, setup, DatastoreRef.Of(input, string.Empty), settings, cluster, deployment.Resources.InstanceCount, before.ItemsFailed, before.MiniBatchesFailed);
        var overview = WriteOverviewPeriodicallyAsync(logs, dispatch);
        await using (var recorder = new ProgressRecorder(_jobs, Workspace, JobName, _clock))
        {
            await dispatch.RunAsync(recorder);
        }

        dispatch.Finished = true;
        await overview;

        if (_suspended)
        {
            return;
        }

        var current = (await _jobs.FindAsync(Workspace, JobName))!;
        if (dispatch.InitFailure is { } initFailure)
        {
            await EndAsync(logs, definition, JobStatuses.Failed, $"The scorer could not start: {initFailure.Error} (see logs/user/error/{initFailure.Worker}.txt).", merge: false);
        }
        else if (_cancel.IsCancellationRequested || current.Status == JobStatuses.CancelRequested)
        {
            await EndAsync(logs, definition, JobStatuses.Canceled, $"Canceled by request: {current.MiniBatchesSucceeded} of {current.MiniBatchesTotal} mini-batches were committed and their rows kept.", merge: true);
        }
        else if (dispatch.BudgetExceeded is { } budget)
        {
            await EndAsync(logs, definition, JobStatuses.Failed, budget, merge: true);
        }
        else
        {
            await EndAsync(logs, definition, JobStatuses.Completed, null, merge: true);
        }
    }

    private async Task<WorkerSetup> SetupAsync(JobDefinition definition, ModelBatchDeploymentSpec deployment, DatastoreAccess output)
    {
        var model = await datastores.GetAccessAsync(Workspace, definition.Model.Datastore);
        var log = await datastores.GetAccessAsync(Workspace, JobLayout.LogDatastore);
        DatastoreRef? code = null;
        if (deployment.CodeConfiguration?.Code is DatastorePathReference codePath)
        {
            code = DatastoreRef.Of(await datastores.GetAccessAsync(Workspace, codePath.Datastore), codePath.Path);
        }

        var settings = deployment.Settings;
        return new WorkerSetup(
            Workspace,
            JobName,
            DatastoreRef.Of(model, definition.Model.Path),
            code,
            deployment.CodeConfiguration?.ScoringScript,
            DatastoreRef.Of(output, definition.Output.Folder),
            settings.OutputAction,
            settings.EnvironmentVariables,
            DatastoreRef.Of(log, JobLayout.JobFolder(JobName)),
            deployment.Resources.InstanceCount * settings.MaxConcurrencyPerInstance,
            definition.Interpreter);
    }

    /// <summary>Ends the job: merges committed rows into the output, writes the logs, records the final status.</summary>
    private async Task EndAsync(JobLogs logs, JobDefinition definition, string status, string? reason, bool merge, bool resumedFinalizing = false)
    {
        var finalizing = status == JobStatuses.Completed && await _jobs.TransitionAsync(Workspace, JobName, JobStatuses.Finalizing);
        var job = (await _jobs.FindAsync(Workspace, JobName))!;
        var settings = definition.Deployment().Settings;
        var outputPath = $"{definition.Output.Folder}/{definition.Output.FileName}".TrimStart('/');
        var outputUri = Uri(definition.Output.Datastore, outputPath);
        string? outputNote = null;
        if (merge && settings.OutputAction == OutputAction.AppendRow && job.MiniBatchesSucceeded > 0)
        {
            try
            {
                var result = await OutputMerger.MergeAsync(_jobs, Workspace, JobName, await datastores.OpenAsync(Workspace, JobLayout.LogDatastore), JobLayout.JobFolder(JobName), await datastores.OpenAsync(Workspace, definition.Output.Datastore), outputPath, resumedFinalizing, CancellationToken.None);
                outputNote = $"{result.Rows} rows written to {outputUri}";
            }
            catch (IOException ex) when (ex.Message.Contains("already exists", StringComparison.Ordinal))
            {
                (status, reason) = (JobStatuses.Failed, $"The output file {outputUri} appeared while the job ran; Sluice never overwrites outputs, so the rows stay committed in {JobLayout.JobFolder(JobName)}/staging/.");
            }
            catch (InvalidDataException ex)
            {
                (status, reason) = (JobStatuses.Failed, $"The output could not be assembled: {ex.Message}.");
            }
        }
        else if (settings.OutputAction == OutputAction.SummaryOnly)
        {
            outputNote = $"outputs written by the scorer are in {Uri(definition.Output.Datastore, definition.Output.Folder + "/")}";
        }

        var failedItems = await logs.WriteFailedItemsAsync(_jobs, Workspace, JobName, CancellationToken.None);
        reason ??= Summary(job, failedItems, settings.ErrorThreshold);
        if (status != JobStatuses.Completed && job.PlannedAt is not null && await logs.WriteUnscoredItemsAsync(_jobs, Workspace, JobName, CancellationToken.None) is > 0 and var unscored)
        {
            reason = $"{reason} {unscored} item(s) were not scored; they are listed in logs/unscored_items.csv.";
        }
        if (outputNote is not null)
        {
            reason = $"{reason} Output: {outputNote}.";
        }

        if (failedItems > 0)
        {
            await logs.WriteErrorAsync($"{failedItems} item(s) failed; each is listed with its error in logs/failed_items.csv.\n{reason}\n", CancellationToken.None);
        }
        else if (status == JobStatuses.Failed)
        {
            await logs.WriteErrorAsync(reason + "\n", CancellationToken.None);
        }

        await logs.WriteResultAsync(status, reason, CancellationToken.None);
        var ended = await _jobs.UpdateAsync(Workspace, JobName, j =>
        {
            j.Status = status;
            j.StatusReason = reason;
            j.EndedAt = _clock.GetUtcNow().UtcDateTime;
        });
        await logs.WriteOverviewAsync(ended, new Dictionary<string, int>(), _clock.GetUtcNow().UtcDateTime, CancellationToken.None);
        LogJobEnded(logger, Workspace, JobName, status, reason);
        _ = finalizing;
    }

    private static string Summary(JobRecord job, long failedItems, int errorThreshold) =>
        failedItems == 0
            ? $"Scored all {job.ItemsSucceeded} items in {job.MiniBatchesSucceeded} mini-batches."
            : $"Scored {job.ItemsSucceeded} of {job.ItemsTotal} items; {failedItems} failed{(errorThreshold < 0 ? " (error_threshold -1 ignores failures)" : $" (within error_threshold {errorThreshold})")} and are listed in logs/failed_items.csv.";

    private async Task WriteOverviewPeriodicallyAsync(JobLogs logs, Dispatch dispatch)
    {
        while (!dispatch.Finished)
        {
            try
            {
                var job = await _jobs.FindAsync(Workspace, JobName);
                if (job is not null)
                {
                    await logs.WriteOverviewAsync(job, new Dictionary<string, int>(_inFlight), _clock.GetUtcNow().UtcDateTime, CancellationToken.None, dispatch.LastProgress, dispatch.StallThreshold);
                }
            }
            catch (IOException)
            {
                // The overview is advisory; the next tick writes it again.
            }

            try
            {
                await Task.Delay(_options.OverviewInterval, _clock, dispatch.Done);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task StopWorkersAsync()
    {
        foreach (var key in _workers)
        {
            if (Placement.PinnedPlacement.SiloOf(key) is { } silo && _membership.CurrentSnapshot.GetSiloStatus(silo) != SiloStatus.Active)
            {
                continue; // its node is gone, and the worker with it
            }

            try
            {
                // A worker stuck in a scorer that ignores cancellation cannot take the call; do not wait for it.
                await GrainFactory.GetGrain<IScoringWorkerGrain>(key).StopAsync().WaitAsync(TimeSpan.FromSeconds(2), _clock);
            }
            catch (TimeoutException)
            {
                LogWorkerStopFailed(logger, key, "still busy in a scorer call that ignored cancellation; it is released when that call returns");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogWorkerStopFailed(logger, key, ex.Message);
            }
        }

        _workers.Clear();
    }

    public void Dispose() => _cancel.Dispose();

    /// <summary>Completes when cluster membership has changed since <paramref name="seen"/> (a node joined or left), or when cancelled.</summary>
    private async Task MembershipChangeAsync(MembershipVersion seen, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(cancellationToken))
            {
                if (snapshot.Version > seen)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string Uri(string datastore, string path) => new DatastorePathReference(datastore, path).Text;

    /// <summary>The dispatch loop: a fixed number of worker slots pulling mini-batches in index order.</summary>
    /// <summary>
    /// The dispatch loop. Without compute, a fixed number of worker slots on this server's own silo. With a compute
    /// cluster, <c>max_concurrency_per_instance</c> slots on each node the cluster allocates, added as nodes arrive;
    /// a node that dies takes its slots with it and its mini-batches go back to the queue without using a retry.
    /// </summary>
    private sealed class Dispatch(JobCoordinatorGrain owner, WorkerSetup setup, DatastoreRef input, BatchDeploymentSettings settings, string? cluster, int instanceCount, long itemsFailedBefore, int miniBatchesFailedBefore) : IDisposable
    {
        /// <summary>Pending mini-batches read from the store at a time.</summary>
        private const int RefillPage = 1024;

        /// <summary>A slot groups its runs after this many short ones in a row…</summary>
        private const int GroupAfterShortRuns = 8;

        /// <summary>…sending up to this many mini-batches per worker call…</summary>
        private const int GroupSize = 64;

        /// <summary>…where a short run is one that took less than this, call included.</summary>
        private static readonly TimeSpan ShortRun = TimeSpan.FromMilliseconds(50);

        private readonly Queue<MiniBatchRecord> _requeued = new();
        private readonly Dictionary<string, AllocatedNode> _allocated = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Task<string?>> _denials = new(StringComparer.Ordinal);
        private int _running;
        private long _itemsFailed = itemsFailedBefore;
        private int _miniBatchesFailed = miniBatchesFailedBefore;
        private ProgressRecorder? _recorder;
        private readonly Queue<MiniBatchRecord> _queue = new();
        private readonly CancellationTokenSource _done = new();
        private int _lastQueued = -1;
        private bool _exhausted;
        private Task? _refill;
        private bool _stop;

        public bool Finished { get; set; }

        public CancellationToken Done => _done.Token;

        public MiniBatchResult? InitFailure { get; private set; }

        /// <summary>When a mini-batch last finished (or dispatch began): the overview warns when this gets old.</summary>
        public DateTime LastProgress { get; private set; } = owner._clock.GetUtcNow().UtcDateTime;

        public TimeSpan StallThreshold { get; } = owner._options.StallWarning;

        public void Dispose() => _done.Dispose();

        public string? BudgetExceeded { get; private set; }

        /// <summary>Why the job has fewer nodes than it asked for, while that is so.</summary>
        public string? Shortfall { get; private set; }

        public async Task RunAsync(ProgressRecorder recorder)
        {
            _recorder = recorder;
            if (cluster is null)
            {
                var local = owner._localSilo.SiloAddress.ToParsableString();
                var slots = instanceCount * settings.MaxConcurrencyPerInstance;
                await Task.WhenAll(Enumerable.Range(0, slots).Select(i => SlotAsync(local, null, i)));
            }
            else
            {
                await RunOnClusterAsync(owner.GrainFactory.GetGrain<IComputeClusterGrain>(cluster));
            }

            await _done.CancelAsync();
        }

        private async Task RunOnClusterAsync(IComputeClusterGrain manager)
        {
            var jobKey = $"{owner.Workspace}/{owner.JobName}";
            var nodes = new Dictionary<string, List<Task>>(StringComparer.Ordinal);
            var slot = 0;
            string? reported = null;
            try
            {
                while (!_stop && !owner._cancel.IsCancellationRequested)
                {
                    var membershipVersion = owner._membership.CurrentSnapshot.Version;
                    var allocation = await manager.AllocateAsync(jobKey, instanceCount);
                    Shortfall = allocation.Shortfall;
                    if (Shortfall != reported)
                    {
                        reported = Shortfall;
                        await owner._jobs.UpdateAsync(owner.Workspace, owner.JobName, j => j.StatusReason = Shortfall);
                    }

                    foreach (var node in allocation.Nodes)
                    {
                        _allocated[node.Name] = node;
                        if (!nodes.TryGetValue(node.Silo, out var tasks) || tasks.All(t => t.IsCompleted))
                        {
                            nodes[node.Silo] = Enumerable.Range(0, settings.MaxConcurrencyPerInstance).Select(_ => SlotAsync(node.Silo, node.Name, slot++)).ToList();
                        }
                    }

                    var all = nodes.Values.SelectMany(t => t).ToList();
                    if (_running == 0 && _requeued.Count == 0 && _queue.Count == 0 && _exhausted && all.All(t => t.IsCompleted))
                    {
                        break;
                    }

                    // Short of nodes (a cluster scaling from zero), a node is taken as soon as it joins, not at the next poll.
                    using var joined = CancellationTokenSource.CreateLinkedTokenSource(owner._cancel.Token);
                    await Task.WhenAny(
                        Task.Delay(TimeSpan.FromSeconds(1), owner._clock),
                        all.Count == 0 ? Task.Delay(Timeout.Infinite, owner._cancel.Token) : Task.WhenAll(all),
                        allocation.Nodes.Count < instanceCount ? owner.MembershipChangeAsync(membershipVersion, joined.Token) : Task.Delay(Timeout.Infinite, joined.Token));
                    await joined.CancelAsync();
                }

                await Task.WhenAll(nodes.Values.SelectMany(t => t));
            }
            finally
            {
                await manager.ReleaseAsync(jobKey);
                if (reported is not null)
                {
                    await owner._jobs.UpdateAsync(owner.Workspace, owner.JobName, j => j.StatusReason = null);
                }
            }
        }

        private async Task SlotAsync(string silo, string? nodeName, int slot)
        {
            var generation = 0;
            var cancel = owner._cancel.Token;
            var siloAddress = SiloAddress.FromParsableString(silo);

            // With inputs to download (blob storage), the slot takes its next mini-batch early so that its worker fetches
            // the inputs while the current one scores. Local inputs are read in place: nothing to gain, and holding a
            // mini-batch back would only slow the end of the job.
            var prefetch = input.Access.Type != Core.Specs.DatastoreType.Local;
            MiniBatchRecord? reserved = null;
            var shortRuns = 0;
            try
            {
                while (!_stop && !cancel.IsCancellationRequested)
                {
                    var miniBatch = reserved ?? await NextAsync();
                    reserved = null;
                    if (miniBatch is null)
                    {
                        return;
                    }

                    // Once the slot's runs prove short, it sends them in groups: one call and one staging file for
                    // many mini-batches, each still run, recorded and retried on its own.
                    if (!prefetch && shortRuns >= GroupAfterShortRuns && !FailuresCount())
                    {
                        var group = new List<MiniBatchRecord>(GroupSize) { miniBatch };
                        while (group.Count < GroupSize && TryNext() is { } more)
                        {
                            group.Add(more);
                        }

                        _running += group.Count;
                        var groupBegan = System.Diagnostics.Stopwatch.GetTimestamp();
                        try
                        {
                            if (!await RunGroupAsync(group, silo, siloAddress, nodeName, slot, () => generation, () => generation++))
                            {
                                return;
                            }
                        }
                        finally
                        {
                            _running -= group.Count;
                        }

                        // Runs that have grown long (larger files later in the input), or a group call that failed or
                        // timed out, send the slot back to single runs: a group has one run's timeout, and must stay
                        // far inside it.
                        if (System.Diagnostics.Stopwatch.GetElapsedTime(groupBegan) >= ShortRun * group.Count)
                        {
                            shortRuns = 0;
                        }

                        continue;
                    }

                    reserved = prefetch ? await NextAsync() : null;
                    _running++;
                    var began = System.Diagnostics.Stopwatch.GetTimestamp();
                    try
                    {
                        if (!await RunMiniBatchAsync(miniBatch, silo, siloAddress, nodeName, slot, () => generation, () => generation++, reserved))
                        {
                            return;
                        }
                    }
                    finally
                    {
                        _running--;
                    }

                    shortRuns = System.Diagnostics.Stopwatch.GetElapsedTime(began) < ShortRun ? shortRuns + 1 : 0;
                }
            }
            finally
            {
                if (reserved is not null)
                {
                    _requeued.Enqueue(reserved); // the slot ends before it: another slot (or a resumed job) runs it
                }
            }
        }

        /// <summary>
        /// Whether failures have started to count against a finite error budget: then every run goes alone again, so
        /// the budget stops the job as precisely as it does without groups.
        /// </summary>
        private bool FailuresCount() =>
            (settings.ErrorThreshold >= 0 && _itemsFailed > 0) || (settings.MiniBatchErrorThreshold >= 0 && _miniBatchesFailed > 0);

        /// <summary>
        /// Runs a group of mini-batches in one worker call. Each result is recorded as a run of its own would be; a
        /// mini-batch whose run failed is retried alone. When the call itself fails (timeout, worker lost) its staging
        /// file is never referenced, and every mini-batch runs again alone without using a retry; when the node is
        /// gone they go back to the queue. False when the slot must end.
        /// </summary>
        private async Task<bool> RunGroupAsync(List<MiniBatchRecord> group, string silo, SiloAddress siloAddress, string? nodeName, int slot, Func<int> generation, Action recycle)
        {
            var cancel = owner._cancel.Token;
            var worker = WorkerNames.Format(nodeName, slot, generation());
            var key = $"{owner.Workspace}/{owner.JobName}/{silo}/{worker}";
            owner._workers.Add(key);
            owner._inFlight[key] = group[0].Index;
            var dispatchedAt = owner._clock.GetUtcNow().UtcDateTime;
            var works = group.Select(m => new MiniBatchWork(m.Index, m.Attempts + 1, input, JobPlanner.Items(m))).ToList();
            IReadOnlyList<MiniBatchResult>? results = null;
            using var run = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            try
            {
                var grain = owner.GrainFactory.GetGrain<IScoringWorkerGrain>(key);
                results = await grain.RunManyAsync(setup, works, run.Token).WaitAsync(TimeSpan.FromSeconds(settings.RetrySettings.Timeout), owner._clock, cancel);
            }
            catch (Exception) when (cluster is not null && !IsAlive(siloAddress))
            {
                await GroupNodeLostAsync(silo, group);
                return false;
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                await run.CancelAsync();
                if (cluster is not null && ex is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException
                    && await ConfirmLostAsync(siloAddress))
                {
                    await GroupNodeLostAsync(silo, group);
                    return false;
                }

                recycle();
            }
            finally
            {
                owner._inFlight.Remove(key);
            }

            // Every finished run is recorded first, so a retry that ends the slot below never throws away work the group
            // already committed.
            var again = new List<(MiniBatchRecord MiniBatch, bool Ran)>();
            for (var i = 0; i < group.Count; i++)
            {
                var miniBatch = group[i];
                var result = results?[i];
                if (result is { InitFailed: true })
                {
                    InitFailure ??= result;
                    _stop = true;
                    return false;
                }

                if (result is not null && (result.Error is null || miniBatch.Attempts + 1 > settings.RetrySettings.MaxRetries))
                {
                    Record(miniBatch, miniBatch.Attempts + 1, result, dispatchedAt);
                }
                else
                {
                    again.Add((miniBatch, result is not null));
                }
            }

            for (var i = 0; i < again.Count; i++)
            {
                var (miniBatch, ran) = again[i];
                if (_stop || cancel.IsCancellationRequested)
                {
                    continue; // not run again: left unfinished, as a mini-batch never dispatched is
                }

                if (ran)
                {
                    miniBatch.Attempts++; // the group's run was its first attempt
                }

                if (!await RunMiniBatchAsync(miniBatch, silo, siloAddress, nodeName, slot, generation, recycle))
                {
                    foreach (var (rest, _) in again.Skip(i + 1))
                    {
                        _requeued.Enqueue(rest);
                    }

                    return false;
                }
            }

            return true;
        }

        private async Task GroupNodeLostAsync(string silo, List<MiniBatchRecord> group)
        {
            foreach (var miniBatch in group.Skip(1))
            {
                _requeued.Enqueue(miniBatch);
            }

            await NodeLostAsync(silo, group[0]);
        }

        /// <summary>Runs one mini-batch with its retries; false when the slot must end (node lost, cancel, scorer that cannot start).</summary>
        private async Task<bool> RunMiniBatchAsync(MiniBatchRecord miniBatch, string silo, SiloAddress siloAddress, string? nodeName, int slot, Func<int> generation, Action recycle, MiniBatchRecord? next = null)
        {
            var cancel = owner._cancel.Token;
            var items = JobPlanner.Items(miniBatch);
            var attempt = miniBatch.Attempts;
            MiniBatchResult? result = null;
            if (nodeName is not null && await DenialAsync(nodeName) is { } denial)
            {
                // The modelled network would stop the node at the datastore: the mini-batch fails at once, not retried
                // (the network will say the same again), with the deciding rule in failed_items.csv.
                Record(miniBatch, attempt + 1, Failure(miniBatch, items, "NetworkDenied", denial, WorkerNames.Format(nodeName, slot, generation())));
                return true;
            }

            while (!cancel.IsCancellationRequested)
            {
                attempt++;
                var worker = WorkerNames.Format(nodeName, slot, generation());
                var key = $"{owner.Workspace}/{owner.JobName}/{silo}/{worker}";
                owner._workers.Add(key);
                owner._inFlight[key] = miniBatch.Index;
                _recorder!.Started(miniBatch.Index, key.Split('/')[^1]);
                using var run = CancellationTokenSource.CreateLinkedTokenSource(cancel);
                try
                {
                    var grain = owner.GrainFactory.GetGrain<IScoringWorkerGrain>(key);
                    var running = grain.RunAsync(setup, new MiniBatchWork(miniBatch.Index, attempt, input, items), run.Token);
                    if (next is not null)
                    {
                        // A hint: if it is lost, the next run downloads its inputs itself.
                        _ = grain.PrefetchAsync(new MiniBatchWork(next.Index, next.Attempts + 1, input, JobPlanner.Items(next)))
                            .ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    }

                    result = await running.WaitAsync(TimeSpan.FromSeconds(settings.RetrySettings.Timeout), owner._clock, cancel);
                }
                catch (Exception) when (cluster is not null && !IsAlive(siloAddress))
                {
                    // The node is gone (killed, frozen, preempted): Orleans failed the call. The mini-batch goes back
                    // to the queue without using a retry, and this slot ends with its node.
                    await NodeLostAsync(silo, miniBatch);
                    return false;
                }
                catch (TimeoutException)
                {
                    // Abandon the run and recycle the worker: a scorer stuck in a call may never return.
                    await run.CancelAsync();
                    recycle();
                    if (await TroubleAsync(silo, "timeout"))
                    {
                        _requeued.Enqueue(miniBatch);
                        return false;
                    }

                    result = Failure(miniBatch, items, "Timeout", $"the run exceeded retry_settings.timeout ({settings.RetrySettings.Timeout} s)", key);
                }
                catch (OperationCanceledException) when (cancel.IsCancellationRequested)
                {
                    result = null;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    if (cluster is not null && ex is SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException
                        && await ConfirmLostAsync(siloAddress))
                    {
                        await NodeLostAsync(silo, miniBatch);
                        return false;
                    }

                    recycle();
                    if (await TroubleAsync(silo, ex.GetType().Name))
                    {
                        _requeued.Enqueue(miniBatch);
                        return false;
                    }

                    result = Failure(miniBatch, items, "WorkerLost", $"the worker failed: {ex.Message}", key);
                }
                finally
                {
                    owner._inFlight.Remove(key);
                }

                if (result is null || result.InitFailed || result.Error is null || attempt > settings.RetrySettings.MaxRetries)
                {
                    break;
                }
            }

            if (result is null || cancel.IsCancellationRequested)
            {
                return false; // canceled: the mini-batch stays unfinished and its rows, if any, uncounted
            }

            if (result.InitFailed)
            {
                InitFailure ??= result;
                _stop = true;
                return false;
            }

            Record(miniBatch, attempt, result);
            return true;
        }

        private bool IsAlive(SiloAddress silo) => owner._membership.CurrentSnapshot.GetSiloStatus(silo) == SiloStatus.Active;

        /// <summary>A call failed as if the node were gone: wait (bounded) for membership to confirm it before treating it so.</summary>
        private async Task<bool> ConfirmLostAsync(SiloAddress silo)
        {
            for (var i = 0; i < 30 && IsAlive(silo); i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), owner._clock);
            }

            return !IsAlive(silo);
        }

        private async Task NodeLostAsync(string silo, MiniBatchRecord miniBatch)
        {
            _requeued.Enqueue(miniBatch);
            var loss = await owner.GrainFactory.GetGrain<IComputeClusterGrain>(cluster!).NodeLostAsync($"{owner.Workspace}/{owner.JobName}", silo);

            LogNodeLost(owner._logger, owner.Workspace, owner.JobName, loss.Name, miniBatch.Index, loss.Preemption);
        }

        /// <summary>Whether the network lets a node reach the job's datastores; asked once per node and job.</summary>
        private Task<string?> DenialAsync(string nodeName)
        {
            if (owner._flowGate is not { } gate || cluster is null || !_allocated.TryGetValue(nodeName, out var node) || node.PrivateIpAddress is null)
            {
                return Task.FromResult<string?>(null);
            }

            if (!_denials.TryGetValue(nodeName, out var denial))
            {
                string[] stores = [.. new[] { input.Datastore, setup.OutputFolder.Datastore, setup.Model.Datastore, setup.JobFolder.Datastore, setup.Code?.Datastore }.OfType<string>().Distinct(StringComparer.Ordinal)];
                denial = gate.DenialAsync(owner.Workspace, cluster[(cluster.IndexOf('/', StringComparison.Ordinal) + 1)..], nodeName, node.PrivateIpAddress, node.VirtualNetwork, node.Subnet, stores, owner._cancel.Token);
                _denials[nodeName] = denial;
            }

            return denial;
        }

        /// <summary>
        /// Reports an infrastructure failure on a node (not a scorer error) to its cluster; true when the cluster has
        /// marked the node unusable, so the slot ends and its mini-batch goes back to the queue without using a retry.
        /// </summary>
        private async Task<bool> TroubleAsync(string silo, string reason)
        {
            if (cluster is null)
            {
                return false;
            }

            return await owner.GrainFactory.GetGrain<IComputeClusterGrain>(cluster).NodeTroubleAsync($"{owner.Workspace}/{owner.JobName}", silo, reason);
        }

        private void Record(MiniBatchRecord miniBatch, int attempts, MiniBatchResult result, DateTime? dispatchedAt = null)
        {
            var failed = result.FailedItems.Count;
            var outcome = new MiniBatchOutcome(
                result.Error is null ? MiniBatchStatuses.Succeeded : MiniBatchStatuses.Failed,
                attempts,
                result.Rows,
                result.SucceededItems,
                failed,
                failed == 0 ? null : JsonSerializer.Serialize(result.FailedItems),
                result.Worker,
                result.Part,
                result.PartOffset,
                result.PartLength,
                dispatchedAt,
                miniBatch.ItemCount);
            _recorder!.Finished(miniBatch.Index, outcome);
            LastProgress = owner._clock.GetUtcNow().UtcDateTime;
            _itemsFailed += failed;
            if (result.Error is not null)
            {
                _miniBatchesFailed++;
            }

            // Once a budget is exceeded the job stops dispatching; runs in flight finish (drain) and are recorded.
            if (failed > 0 && settings.ErrorThreshold >= 0 && _itemsFailed > settings.ErrorThreshold)
            {
                BudgetExceeded ??= $"error_threshold {settings.ErrorThreshold} exceeded: {_itemsFailed} items failed, so the job stopped dispatching (see logs/failed_items.csv).";
                _stop = true;
            }

            if (result.Error is not null && settings.MiniBatchErrorThreshold >= 0 && _miniBatchesFailed > settings.MiniBatchErrorThreshold)
            {
                BudgetExceeded ??= $"mini_batch_error_threshold {settings.MiniBatchErrorThreshold} exceeded: {_miniBatchesFailed} mini-batches failed after their retries, so the job stopped dispatching (see logs/failed_items.csv).";
                _stop = true;
            }
        }

        private static MiniBatchResult Failure(MiniBatchRecord miniBatch, IReadOnlyList<MiniBatchItem> items, string type, string message, string worker) =>
            new(miniBatch.Index, 0, 0, items.Select(i => new FailedItemInfo(i.Describe(), type, message)).ToList(), type, message, worker.Split('/')[^1]);

        /// <summary>The next mini-batch: one given back by a lost node first, else the next pending one, refilling the queue from the store a page at a time.</summary>
        private async Task<MiniBatchRecord?> NextAsync()
        {
            if (_requeued.TryDequeue(out var requeued))
            {
                return requeued;
            }

            while (_queue.Count == 0 && !_exhausted)
            {
                _refill ??= RefillAsync();
                var refill = _refill;
                await refill;
                if (ReferenceEquals(_refill, refill))
                {
                    _refill = null;
                }
            }

            return _queue.TryDequeue(out var next) ? next : null;
        }

        /// <summary>The next mini-batch if one is at hand, without waiting; starts a refill when the queue runs low.</summary>
        private MiniBatchRecord? TryNext()
        {
            if (_requeued.TryDequeue(out var requeued))
            {
                return requeued;
            }

            if (_queue.Count < RefillPage / 4 && !_exhausted && _refill is null or { IsCompleted: true })
            {
                _refill = RefillAsync();
            }

            return _queue.TryDequeue(out var next) ? next : null;
        }

        private async Task RefillAsync()
        {
            var page = await owner._jobs.PendingAsync(owner.Workspace, owner.JobName, _lastQueued, RefillPage);
            foreach (var miniBatch in page)
            {
                _queue.Enqueue(miniBatch);
                _lastQueued = miniBatch.Index;
            }

            _exhausted = page.Count == 0;
        }
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Job {Workspace}/{Job} lost node {Node} (preemption: {Preemption}); mini-batch {Index} goes back to the queue")]
    private static partial void LogNodeLost(ILogger logger, string workspace, string job, string node, int index, bool preemption);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Job {Workspace}/{Job} ended {Status}: {Reason}")]
    private static partial void LogJobEnded(ILogger logger, string workspace, string job, string status, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "Job {Workspace}/{Job} stopped on an unexpected error")]
    private static partial void LogJobCrashed(ILogger logger, Exception exception, string workspace, string job);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Job {Workspace}/{Job} suspended ({Reason}); it resumes on the next activation")]
    private static partial void LogJobSuspended(ILogger logger, string workspace, string job, string? reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Could not stop worker {Worker}: {Error}")]
    private static partial void LogWorkerStopFailed(ILogger logger, string worker, string error);
}
