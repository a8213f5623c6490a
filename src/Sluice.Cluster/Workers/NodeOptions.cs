namespace Sluice.Cluster.Workers;

/// <summary>Where this node keeps its local files (scorer builds, downloads) and how many cores it offers.</summary>
public sealed class NodeOptions
{
    public required string ScratchDirectory { get; set; }

    public int Cores { get; set; } = Environment.ProcessorCount;

    public string BuildCache => Path.Combine(ScratchDirectory, "scorer-builds");
}
