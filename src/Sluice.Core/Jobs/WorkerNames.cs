namespace Sluice.Core.Jobs;

/// <summary>
/// Names of scoring workers as mini-batch records keep them: <c>{node}.worker-{slot}.{generation}</c> on a compute
/// node, <c>worker-{slot}.{generation}</c> on the server itself (jobs without a compute). The job's per-node report
/// groups mini-batches by the node part.
/// </summary>
public static class WorkerNames
{
    /// <summary>What the per-node report calls the server when it scores jobs itself.</summary>
    public const string EmbeddedNode = "(server)";

    private const string Separator = ".worker-";

    public static string Format(string? node, int slot, int generation) =>
        node is null ? $"worker-{slot}.{generation}" : $"{node}{Separator}{slot}.{generation}";

    public static string NodeOf(string worker)
    {
        var at = worker.LastIndexOf(Separator, StringComparison.Ordinal);
        return at < 0 ? EmbeddedNode : worker[..at];
    }
}
