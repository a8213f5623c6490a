using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Cluster.Nodes;
using Sluice.Cluster.Placement;
using Sluice.Core.Serialization;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;
using Sluice.Data.Store;

namespace Sluice.Cluster.Compute;

/// <summary>
/// Manages one compute cluster with Azure ML's semantics. Nodes are the silos Orleans' membership lists as active and
/// tagged with this cluster; the manager only decides who uses them and, with the local provisioner, how many there
/// are: scale from zero when jobs need nodes, back to <c>min_instances</c> after <c>idle_time_before_scale_down</c>.
/// Jobs share nodes fairly: each job gets the least-loaded nodes, up to its <c>instance_count</c>.
/// </summary>
[ServerPlacement]
public sealed partial class ComputeClusterGrain(
    IDbContextFactory<SluiceDbContext> store,
    JobStore jobStore,
    IClusterMembershipService membership,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<ComputeClusterGrain> logger) : Grain, IComputeClusterGrain
{
    /// <summary>A job that has not renewed its allocation for this long is considered gone (its coordinator died).</summary>
    private static readonly TimeSpan JobExpiry = TimeSpan.FromSeconds(30);

    /// <summary>A started node that has not joined after this long is given up on and replaced.</summary>
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(90);

    private const int FailuresBeforeUnusable = 3;

    private readonly Dictionary<string, JobDemand> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);

    // Nodes found gone, by silo, with when: each loss is counted once on the jobs that held the node, however many of
    // their coordinators' calls report it.
    private readonly Dictionary<string, (NodeLoss Loss, DateTime At)> _losses = new(StringComparer.Ordinal);
    private ComputeSpec? _spec;
    private SubnetRoom? _subnet;
    private DateTime _specLoaded;
    private int _preemptions;

    private string Key => this.GetPrimaryKeyString();

    private string Workspace => Key.Split('/', 2)[0];

    private string Compute => Key.Split('/', 2)[1];

    private LocalNodeLauncher? Launcher => services.GetService<LocalNodeLauncher>();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(RefreshAsync, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task<NodeAllocation> AllocateAsync(string job, int instanceCount)
    {
        if (!_jobs.TryGetValue(job, out var demand))
        {
            demand = new JobDemand();
            _jobs[job] = demand;
        }

        demand.Requested = instanceCount;
        demand.LastSeen = Now();
        await RefreshAsync(CancellationToken.None);
        demand.Nodes.RemoveWhere(n => !_nodes.TryGetValue(n, out var node) || !node.Usable);
        while (demand.Nodes.Count < instanceCount)
        {
            var next = _nodes.Values
                .Where(n => n.Usable && n.Silo is not null && !demand.Nodes.Contains(n.Name))
                .OrderBy(n => _jobs.Values.Count(j => j.Nodes.Contains(n.Name)))
                .ThenBy(n => n.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (next is null)
            {
                break;
            }

            demand.Nodes.Add(next.Name);
        }

        UpdateStates();
        var nodes = demand.Nodes.Select(n => _nodes[n])
            .Select(n => new AllocatedNode(n.Silo!.ToParsableString(), n.Name, n.Cores, n.Tier, n.Address, n.Address is null ? null : _subnet?.VirtualNetwork, n.Address is null ? null : _subnet?.Subnet))
            .ToList();
        return new NodeAllocation(nodes, instanceCount, Shortfall(nodes.Count, instanceCount));
    }

    public Task ReleaseAsync(string job)
    {
        _jobs.Remove(job);
        UpdateStates();
        return Task.CompletedTask;
    }

    public async Task<NodeLoss> NodeLostAsync(string job, string silo)
    {
        if (_losses.TryGetValue(silo, out var known))
        {
            return known.Loss;
        }

        if (_nodes.Values.FirstOrDefault(n => n.Silo?.ToParsableString() == silo) is { } node)
        {
            return await NodeGoneAsync(node);
        }

        // A node this manager never saw (it started after the node died): the loss still counts for the job.
        var loss = new NodeLoss(false, silo);
        _losses[silo] = (loss, Now());
        await jobStore.CountNodeLossAsync(Workspace, JobName(job), preemption: false);
        return loss;
    }

    /// <summary>
    /// A node went away without being asked to (killed, frozen, preempted): a preemption when it was a low-priority
    /// node, a failure otherwise. Counted on the cluster and on every job that held it; its jobs stop holding it.
    /// </summary>
    private async Task<NodeLoss> NodeGoneAsync(NodeInfo node)
    {
        var silo = node.Silo!.ToParsableString();
        if (_losses.TryGetValue(silo, out var known))
        {
            return known.Loss;
        }

        var preemption = node.Tier == EnumNames<ComputeTier>.ToName(ComputeTier.LowPriority);
        if (preemption)
        {
            _preemptions++;
        }

        var loss = new NodeLoss(preemption, node.Name);
        _losses[silo] = (loss, Now());
        if (preemption)
        {
            node.State = NodeStates.Preempted;
            node.Since = Now();
        }

        foreach (var (job, demand) in _jobs)
        {
            if (demand.Nodes.Remove(node.Name))
            {
                await jobStore.CountNodeLossAsync(Workspace, JobName(job), preemption);
            }
        }

        foreach (var stale in _losses.Where(l => Now() - l.Value.At > TimeSpan.FromMinutes(30)).Select(l => l.Key).ToList())
        {
            _losses.Remove(stale);
        }

        return loss;
    }

    public Task<bool> NodeTroubleAsync(string job, string silo, string reason)
    {
        var node = _nodes.Values.FirstOrDefault(n => n.Silo?.ToParsableString() == silo);
        if (node is null || node.State == NodeStates.Unusable)
        {
            return Task.FromResult(node is not null);
        }

        // The node is blamed only when it fails where a peer does not: when every node fails alike (a slow or broken
        // scorer), replacing nodes would not help and the job's own error budget decides.
        var healthyPeer = _nodes.Values.Any(n => n != node && n.Usable && n.Failures == 0);
        if (++node.Failures < FailuresBeforeUnusable || !healthyPeer)
        {
            return Task.FromResult(false);
        }

        node.State = NodeStates.Unusable;
        node.Since = Now();
        foreach (var demand in _jobs.Values)
        {
            demand.Nodes.Remove(node.Name);
        }

        LogUnusable(logger, node.Name, Key, reason);
        return Task.FromResult(true);
    }

    public async Task<string> PreemptAsync(string node)
    {
        if (!_nodes.TryGetValue(node, out var target) || target.Silo is null)
        {
            throw new KeyNotFoundException($"Cluster {Compute} has no node named '{node}'; list them with 'sluice compute list-nodes -n {Compute}'.");
        }

        if (target.Tier != EnumNames<ComputeTier>.ToName(ComputeTier.LowPriority))
        {
            throw new InvalidOperationException($"Node '{node}' is a dedicated node; only low-priority nodes are preempted.");
        }

        // Counted now: once preempted the node is no longer usable, and jobs would forget it before it is seen gone.
        await NodeGoneAsync(target);
        if (Launcher?.Kill(node) != true)
        {
            await GrainFactory.GetGrain<INodeControlGrain>(INodeControlGrain.Key(target.Silo)).PreemptAsync();
        }

        LogPreempted(logger, node, Key);
        return $"Node '{node}' was preempted.";
    }

    public async Task<ClusterReport> ReportAsync()
    {
        await RefreshAsync(CancellationToken.None);
        var spec = _spec;
        var nodes = _nodes.Values.OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new NodeReport(n.Name, n.Silo?.ToParsableString(), n.State, n.Tier, n.Cores, _jobs.Where(j => j.Value.Nodes.Contains(n.Name)).Select(j => JobName(j.Key)).Order(StringComparer.Ordinal).ToList(), n.Failures, n.Since, n.Address, n.Reason))
            .ToList();
        return new ClusterReport(
            Compute,
            EnumNames<Provisioner>.ToName(spec?.Provisioner ?? Provisioner.Local),
            spec?.MinInstances ?? 0,
            spec?.MaxInstances ?? 0,
            Demand(),
            _preemptions,
            nodes,
            _jobs.Keys.Select(JobName).Order(StringComparer.Ordinal).ToList(),
            _subnet is null ? null : new SubnetReport(_subnet.VirtualNetwork, _subnet.Subnet, _subnet.Capacity, _subnet.Problem));
    }

    /// <summary>Jobs are keyed <c>workspace/job</c>; a cluster belongs to one workspace, so reports show the job's name.</summary>
    private static string JobName(string jobKey) => jobKey[(jobKey.IndexOf('/', StringComparison.Ordinal) + 1)..];

    public Task EnsureAsync() => Task.CompletedTask;

    /// <summary>Reconciles with membership, expires gone jobs, and (local provisioner) scales the cluster.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await LoadSpecAsync(cancellationToken);
        var now = Now();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (silo, member) in membership.CurrentSnapshot.Members)
        {
            if (member.Status != SiloStatus.Active)
            {
                continue;
            }

            var tags = NodeMetadata.FromSiloName(member.Name);
            if (!tags.TryGetValue(NodeMetadata.Cluster, out var cluster) || cluster != Key || !tags.TryGetValue(NodeMetadata.Name, out var name))
            {
                continue;
            }

            present.Add(name);
            if (!_nodes.TryGetValue(name, out var node) || node.Silo is null || !node.Silo.Equals(silo))
            {
                node = new NodeInfo(name)
                {
                    Silo = silo,
                    Tier = tags.GetValueOrDefault(NodeMetadata.Tier, "dedicated"),
                    Cores = int.TryParse(tags.GetValueOrDefault(NodeMetadata.Cores), out var cores) ? cores : 1,
                    State = NodeStates.Idle,
                    Since = now,
                };
                _nodes[name] = node;
                LogJoined(logger, name, Key);
            }
        }

        AssignAddresses(now);

        foreach (var node in _nodes.Values.Where(n => !present.Contains(n.Name)).ToList())
        {
            if (node.Silo is not null && node.State is not NodeStates.Leaving)
            {
                await NodeGoneAsync(node);
            }

            foreach (var job in _jobs.Values)
            {
                job.Nodes.Remove(node.Name);
            }

            // A preempted node stays listed for a while, so users see what happened; others go at once.
            if (node.State == NodeStates.Starting && Launcher?.StartedAt(node.Name) is { } started && now - started < JoinTimeout)
            {
                continue;
            }

            if (node.State != NodeStates.Preempted || now - node.Since > TimeSpan.FromMinutes(2))
            {
                _nodes.Remove(node.Name);
            }
            else
            {
                node.Silo = null;
            }
        }

        foreach (var (job, demand) in _jobs.Where(j => now - j.Value.LastSeen > JobExpiry).ToList())
        {
            _jobs.Remove(job);
        }

        UpdateStates();
        if (Launcher is { } launcher)
        {
            if (_spec is { Provisioner: Provisioner.Local, Type: ComputeType.Amlcompute } spec)
            {
                await ScaleAsync(spec, launcher, now);
            }
            else if (_spec is null)
            {
                // The compute was deleted: the nodes this server started for it go at once.
                foreach (var node in _nodes.Values.Where(n => n.Silo is not null && n.State is not NodeStates.Leaving).ToList())
                {
                    await StopAsync(node, launcher);
                }
            }
        }
    }

    private async Task ScaleAsync(ComputeSpec spec, LocalNodeLauncher launcher, DateTime now)
    {
        var desired = Math.Clamp(Demand(), spec.MinInstances, spec.MaxInstances);
        if (_subnet is not null)
        {
            // Azure cannot allocate a node its subnet has no address for: starting one would only make it unusable.
            desired = Math.Min(desired, _subnet.Capacity);
        }

        var usable = _nodes.Values.Where(n => n.Usable && n.Silo is not null).ToList();
        var starting = _nodes.Values.Count(n => n.State == NodeStates.Starting);

        foreach (var unusable in _nodes.Values.Where(n => n.State == NodeStates.Unusable && n.Silo is not null).ToList())
        {
            await StopAsync(unusable, launcher);
        }

        for (var i = usable.Count + starting; i < desired; i++)
        {
            var name = launcher.Start(Workspace, Compute, EnumNames<ComputeTier>.ToName(spec.Tier));
            _nodes[name] = new NodeInfo(name) { State = NodeStates.Starting, Tier = EnumNames<ComputeTier>.ToName(spec.Tier), Since = now };
        }

        var idleTime = TimeSpan.FromSeconds(spec.IdleTimeBeforeScaleDown);
        var surplus = usable.Count - desired;
        foreach (var idle in usable.Where(n => n.State == NodeStates.Idle && now - n.Since >= idleTime).OrderBy(n => n.Since).Take(Math.Max(0, surplus)).ToList())
        {
            await StopAsync(idle, launcher);
        }
    }

    private async Task StopAsync(NodeInfo node, LocalNodeLauncher launcher)
    {
        if (node.StopRequested)
        {
            return;
        }

        node.StopRequested = true;
        if (node.State is not NodeStates.Unusable)
        {
            node.State = NodeStates.Leaving;
            node.Since = Now();
        }

        LogStopping(logger, node.Name, Key);
        try
        {
            await GrainFactory.GetGrain<INodeControlGrain>(INodeControlGrain.Key(node.Silo!)).StopAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException or SiloUnavailableException)
        {
            launcher.Kill(node.Name);
        }
    }

    /// <summary>Running when a job uses the node, idle (since when) otherwise.</summary>
    private void UpdateStates()
    {
        var now = Now();
        foreach (var node in _nodes.Values.Where(n => n.State is NodeStates.Idle or NodeStates.Running))
        {
            var used = _jobs.Values.Any(j => j.Nodes.Contains(node.Name));
            var state = used ? NodeStates.Running : NodeStates.Idle;
            if (state != node.State)
            {
                node.State = state;
                node.Since = now;
            }
        }
    }

    private int Demand() => _jobs.Values.Sum(j => j.Requested);

    private string? Shortfall(int allocated, int requested)
    {
        if (allocated >= requested)
        {
            return null;
        }

        var provisioning = _spec?.Provisioner == Provisioner.Attached
            ? "this cluster uses attached nodes: start more with 'sluice node --cluster " + Compute + "'"
            : _nodes.Values.Any(n => n.State == NodeStates.Starting) ? "nodes are starting" : $"the cluster has at most {_spec?.MaxInstances ?? 0} nodes";
        if (_subnet is not null && _subnet.Capacity < requested)
        {
            provisioning += $"; subnet {_subnet.VirtualNetwork}/{_subnet.Subnet} has room for {_subnet.Capacity} node{(_subnet.Capacity == 1 ? string.Empty : "s")} (Azure reserves 5 addresses per subnet; interfaces and private endpoints hold others): use a larger subnet";
        }

        var preempted = _nodes.Values.Count(n => n.State == NodeStates.Preempted);
        return allocated == 0
            ? $"waiting for capacity: 0 of {requested} nodes{(preempted > 0 ? $" ({preempted} preempted)" : string.Empty)}; {provisioning}"
            : $"partially allocated ({allocated} of {requested} nodes); {provisioning}";
    }

    private async Task LoadSpecAsync(CancellationToken cancellationToken)
    {
        if (_spec is not null && Now() - _specLoaded < TimeSpan.FromSeconds(5))
        {
            return;
        }

        await using var db = await store.CreateDbContextAsync(cancellationToken);
        var kind = ResourceKind.Compute.ToString();
        var record = await db.Resources.AsNoTracking().FirstOrDefaultAsync(r => r.Workspace == Workspace && r.Kind == kind && r.Parent == string.Empty && r.Name == Compute && r.Version == string.Empty, cancellationToken);
        _spec = record is null ? null : SpecCodec.Decode<ComputeSpec>(ResourceKind.Compute, record.SpecJson);
        _subnet = _spec?.NetworkSettings is { VnetName: { } vnet, Subnet: { } subnet } ? await SubnetRoom.LoadAsync(db, Workspace, vnet, subnet, _spec.MaxInstances, cancellationToken) : null;
        _specLoaded = Now();
    }

    /// <summary>
    /// Gives each node an address of the cluster's subnet (the lowest free one, as Azure's dynamic allocation does).
    /// A node the subnet has no room for is unusable until an address frees up: a short subnet means a partial
    /// allocation, which the cluster and its jobs report.
    /// </summary>
    private void AssignAddresses(DateTime now)
    {
        if (_subnet is null)
        {
            foreach (var node in _nodes.Values.Where(n => n.Address is not null || n.WaitsForAddress))
            {
                node.Address = null;
                if (node.WaitsForAddress)
                {
                    (node.WaitsForAddress, node.Reason, node.State, node.Since) = (false, null, NodeStates.Idle, now);
                }
            }

            return;
        }

        var held = _nodes.Values.Where(n => n.Silo is not null && n.Address is not null && _subnet.Addresses.Contains(n.Address)).Select(n => n.Address!).ToHashSet(StringComparer.Ordinal);
        foreach (var node in _nodes.Values.Where(n => n.Silo is not null).OrderBy(n => n.Since).ThenBy(n => n.Name, StringComparer.Ordinal))
        {
            if (node.Address is not null && held.Contains(node.Address))
            {
                continue;
            }

            if (node.State == NodeStates.Unusable && !node.WaitsForAddress)
            {
                continue;
            }

            node.Address = _subnet.Addresses.FirstOrDefault(a => !held.Contains(a));
            if (node.Address is null)
            {
                if (!node.WaitsForAddress)
                {
                    (node.WaitsForAddress, node.State, node.Since) = (true, NodeStates.Unusable, now);
                    node.Reason = $"no free address in subnet {_subnet.VirtualNetwork}/{_subnet.Subnet} ({_subnet.Capacity} usable): use a larger subnet or lower max_instances";
                    foreach (var demand in _jobs.Values)
                    {
                        demand.Nodes.Remove(node.Name);
                    }
                }

                continue;
            }

            held.Add(node.Address);
            if (node.WaitsForAddress)
            {
                (node.WaitsForAddress, node.Reason, node.State, node.Since) = (false, null, NodeStates.Idle, now);
            }
        }
    }

    private DateTime Now() => clock.GetUtcNow().UtcDateTime;

    private sealed class JobDemand
    {
        public int Requested { get; set; }

        public HashSet<string> Nodes { get; } = new(StringComparer.Ordinal);

        public DateTime LastSeen { get; set; }
    }

    private sealed class NodeInfo(string name)
    {
        public string Name { get; } = name;

        public SiloAddress? Silo { get; set; }

        public string Tier { get; set; } = "dedicated";

        public int Cores { get; set; } = 1;

        public string State { get; set; } = NodeStates.Idle;

        public int Failures { get; set; }

        /// <summary>Asked to leave (scale-down, unusable, compute deleted); it is not asked again.</summary>
        public bool StopRequested { get; set; }

        public DateTime Since { get; set; }

        /// <summary>The node's address in the cluster's subnet, when the cluster has <c>network_settings</c>.</summary>
        public string? Address { get; set; }

        /// <summary>Why the node is unusable, when it is.</summary>
        public string? Reason { get; set; }

        /// <summary>Unusable only because its subnet had no address left: it recovers when one frees up.</summary>
        public bool WaitsForAddress { get; set; }

        public bool Usable => State is NodeStates.Idle or NodeStates.Running;
    }

    [LoggerMessage(EventId = 2310, Level = LogLevel.Information, Message = "Node {Node} joined cluster {Cluster}")]
    private static partial void LogJoined(ILogger logger, string node, string cluster);

    [LoggerMessage(EventId = 2311, Level = LogLevel.Information, Message = "Stopping node {Node} of cluster {Cluster}")]
    private static partial void LogStopping(ILogger logger, string node, string cluster);

    [LoggerMessage(EventId = 2312, Level = LogLevel.Warning, Message = "Node {Node} of cluster {Cluster} keeps failing ({Reason}); marked unusable and replaced")]
    private static partial void LogUnusable(ILogger logger, string node, string cluster, string reason);

    [LoggerMessage(EventId = 2313, Level = LogLevel.Information, Message = "Node {Node} of cluster {Cluster} preempted")]
    private static partial void LogPreempted(ILogger logger, string node, string cluster);
}
