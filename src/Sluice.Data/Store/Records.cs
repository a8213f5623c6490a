namespace Sluice.Data.Store;

/// <summary>A workspace row. The spec is kept as its canonical JSON; columns exist only for what is queried.</summary>
public sealed class WorkspaceRecord
{
    public required string Name { get; set; }

    public required string SpecJson { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ModifiedAt { get; set; }
}

/// <summary>
/// Every resource inside a workspace, one table for all kinds: the spec is JSON, and the columns are its identity.
/// <see cref="Parent"/> scopes names (a deployment's endpoint); <see cref="Version"/> is empty for unversioned kinds.
/// </summary>
public sealed class ResourceRecord
{
    public long Id { get; set; }

    public required string Workspace { get; set; }

    public required string Kind { get; set; }

    public string Parent { get; set; } = string.Empty;

    public required string Name { get; set; }

    public string Version { get; set; } = string.Empty;

    /// <summary>The version as a number when it is one, so "latest" orders 10 after 9.</summary>
    public long? VersionNumber { get; set; }

    public required string SpecJson { get; set; }

    /// <summary>State the server owns rather than the user (e.g. an endpoint's inherited network mode), as a JSON object.</summary>
    public string SystemJson { get; set; } = "{}";

    public bool Archived { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ModifiedAt { get; set; }
}

/// <summary>A secret kept apart from specs, so specs can be shown and logged without leaking it.</summary>
public sealed class SecretRecord
{
    public required string Workspace { get; set; }

    public required string Scope { get; set; }

    public required string Name { get; set; }

    public required byte[] Value { get; set; }

    public DateTime ModifiedAt { get; set; }
}

/// <summary>A batch job: what was invoked, how it is going, and why it ended.</summary>
public sealed class JobRecord
{
    public required string Workspace { get; set; }

    public required string Name { get; set; }

    public required string EndpointName { get; set; }

    public required string DeploymentName { get; set; }

    public required string Status { get; set; }

    /// <summary>The job as resolved at invocation: deployment snapshot, inputs, outputs and effective settings.</summary>
    public required string DefinitionJson { get; set; }

    public string? StatusReason { get; set; }

    public string? TraceId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? EndedAt { get; set; }

    public DateTime ModifiedAt { get; set; }

    public int MiniBatchesTotal { get; set; }

    public int MiniBatchesSucceeded { get; set; }

    public int MiniBatchesFailed { get; set; }

    public long ItemsTotal { get; set; }

    public long ItemsSucceeded { get; set; }

    public long ItemsFailed { get; set; }

    /// <summary>When the input was listed and split into mini-batches; null until then. A restarted job reuses the plan.</summary>
    public DateTime? PlannedAt { get; set; }

    /// <summary>Compute nodes that vanished while running this job's mini-batches (their work was re-queued).</summary>
    public int NodeLosses { get; set; }

    /// <summary>Of <see cref="NodeLosses"/>, those that were low-priority nodes preempted.</summary>
    public int Preemptions { get; set; }

    /// <summary>
    /// When the job's first rows were committed: the end of its first succeeded mini-batch, kept with the job's counters
    /// as progress is recorded, so <c>job show</c> reads it instead of scanning every mini-batch; null until then.
    /// </summary>
    public DateTime? FirstOutputAt { get; set; }
}

/// <summary>
/// What one node did for a job, counted as its mini-batches finish (once each, by the node whose worker finished it):
/// the job's per-node report without a scan of its mini-batches.
/// </summary>
public sealed class JobNodeShareRecord
{
    public required string Workspace { get; set; }

    public required string Job { get; set; }

    /// <summary>The node's name, or <see cref="Core.Jobs.WorkerNames.EmbeddedNode"/> for the server's own workers.</summary>
    public required string Node { get; set; }

    public int MiniBatches { get; set; }

    public int FailedMiniBatches { get; set; }

    public long Items { get; set; }

    public long Rows { get; set; }
}

/// <summary>
/// One mini-batch of a job: its files, and how its runs went. Rows of succeeded mini-batches are committed in the job's
/// staging area under the mini-batch's index, which is what makes outputs exactly-once across retries and restarts.
/// </summary>
public sealed class MiniBatchRecord
{
    public required string Workspace { get; set; }

    public required string Job { get; set; }

    public int Index { get; set; }

    /// <summary>The datastore-relative paths of its files, as a JSON array.</summary>
    public required string FilesJson { get; set; }

    public int ItemCount { get; set; }

    public required string Status { get; set; }

    public int Attempts { get; set; }

    public long RowCount { get; set; }

    public int FailedItems { get; set; }

    public string? Error { get; set; }

    public string? Worker { get; set; }

    /// <summary>
    /// The staging file holding this mini-batch's committed rows when several mini-batches were run as a group and
    /// committed in one file (<see cref="PartOffset"/>, <see cref="PartLength"/>: its bytes there, header included);
    /// null for the mini-batch's own part file, named by its index.
    /// </summary>
    public string? Part { get; set; }

    public long PartOffset { get; set; }

    public long PartLength { get; set; }

    /// <summary>When the coordinator dispatched the run that finished it.</summary>
    public DateTime? StartedAt { get; set; }

    public DateTime? EndedAt { get; set; }
}

/// <summary>The Orleans membership table's version row for one cluster (optimistic concurrency for the whole table).</summary>
public sealed class ClusterVersionRecord
{
    public required string ClusterId { get; set; }

    public int Version { get; set; }

    public required string ETag { get; set; }

    public DateTime ModifiedAt { get; set; }
}

/// <summary>One silo in the Orleans membership table: its entry (as JSON) and the etag that guards updates to it.</summary>
public sealed class ClusterMemberRecord
{
    public required string ClusterId { get; set; }

    /// <summary>The silo's address in Orleans' parsable form (<c>S127.0.0.1:11111:123456789</c>).</summary>
    public required string Silo { get; set; }

    public required string EntryJson { get; set; }

    public required string ETag { get; set; }

    /// <summary>Orleans' SiloStatus as a number, for cleanup queries.</summary>
    public int Status { get; set; }

    public DateTime IAmAliveTime { get; set; }
}
