using Sluice.Core.Specs;
using Sluice.Data.Datastores;

namespace Sluice.Cluster.Workers;

/// <summary>
/// A datastore and a path in it, with what a node needs to open the datastore without the metadata store (for blob
/// storage, its secret too: records print it redacted).
/// </summary>
[GenerateSerializer, Immutable, Alias("sluice.datastore-ref")]
public sealed record DatastoreRef(
    [property: Id(0)] DatastoreAccess Access,
    [property: Id(1)] string Path)
{
    public string Datastore => Access.Name;

    public static DatastoreRef Of(DatastoreAccess access, string path) => new(access, path);

    public IDatastoreClient Open() => Access.Open();

    public DatastoreRef At(string path) => this with { Path = path };
}

/// <summary>Everything a scoring worker needs to initialise its scorer: sent with each mini-batch, so any worker can serve any call.</summary>
[GenerateSerializer, Immutable, Alias("sluice.worker-setup")]
public sealed record WorkerSetup(
    [property: Id(0)] string Workspace,
    [property: Id(1)] string Job,
    [property: Id(2)] DatastoreRef Model,
    [property: Id(3)] DatastoreRef? Code,
    [property: Id(4)] string? ScoringScript,
    [property: Id(5)] DatastoreRef OutputFolder,
    [property: Id(6)] OutputAction OutputAction,
    [property: Id(7)] IReadOnlyDictionary<string, string> EnvironmentVariables,
    [property: Id(8)] DatastoreRef JobFolder,
    [property: Id(9)] int WorkersPerNode,
    [property: Id(10)] string? Interpreter = null);

/// <summary>One mini-batch to score: references to its items, never their content.</summary>
[GenerateSerializer, Immutable, Alias("sluice.mini-batch-work")]
public sealed record MiniBatchWork(
    [property: Id(0)] int Index,
    [property: Id(1)] int Attempt,
    [property: Id(2)] DatastoreRef Input,
    [property: Id(3)] IReadOnlyList<MiniBatchItem> Items);

/// <summary>
/// One item of a mini-batch: a whole file, or — when <c>mini_batch_size</c> is in bytes or rows — a slice of a
/// line-based tabular file (CSV, JSON Lines): bytes [<see cref="Start"/>, <see cref="End"/>) holding
/// <see cref="Rows"/> rows from row <see cref="FirstRow"/>, plus the file's header line for CSV.
/// </summary>
[GenerateSerializer, Immutable, Alias("sluice.mini-batch-item")]
public sealed record MiniBatchItem(
    [property: Id(0)] string Path,
    [property: Id(1)] long? Start = null,
    [property: Id(2)] long? End = null,
    [property: Id(3)] long HeaderLength = 0,
    [property: Id(4)] long FirstRow = 0,
    [property: Id(5)] long? Rows = null)
{
    public bool IsSlice => Start is not null;

    /// <summary>How the item appears in logs and in failed_items.csv.</summary>
    public string Describe() => IsSlice ? $"{Path} [rows {FirstRow}-{FirstRow + (Rows ?? 0) - 1}]" : Path;
}

[GenerateSerializer, Immutable, Alias("sluice.failed-item")]
public sealed record FailedItemInfo(
    [property: Id(0)] string Item,
    [property: Id(1)] string ErrorType,
    [property: Id(2)] string Message);

/// <summary>How a run of a mini-batch went. <see cref="Error"/> set means the whole run failed (and may be retried).</summary>
[GenerateSerializer, Immutable, Alias("sluice.mini-batch-result")]
public sealed record MiniBatchResult(
    [property: Id(0)] int Index,
    [property: Id(1)] long Rows,
    [property: Id(2)] int SucceededItems,
    [property: Id(3)] IReadOnlyList<FailedItemInfo> FailedItems,
    [property: Id(4)] string? ErrorType,
    [property: Id(5)] string? Error,
    [property: Id(6)] string Worker,
    [property: Id(7)] bool InitFailed = false)
{
    /// <summary>For a run of a group: the group's staging file holding this mini-batch's rows, and their bytes in it.</summary>
    [Id(8)]
    public string? Part { get; init; }

    [Id(9)]
    public long PartOffset { get; init; }

    [Id(10)]
    public long PartLength { get; init; }
}
