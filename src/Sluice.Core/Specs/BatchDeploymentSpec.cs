using System.Text.Json.Serialization;
using Sluice.Core.References;

namespace Sluice.Core.Specs;

public enum DeploymentType
{
    Model,
    Pipeline,
}

public enum OutputAction
{
    /// <summary>Every mini-batch's returned rows are appended to one output file.</summary>
    AppendRow,

    /// <summary>No output file: the scorer writes its own outputs to a folder it is given.</summary>
    SummaryOnly,
}

public enum LoggingLevel
{
    Debug,
    Info,
    Warning,
    Error,
}

/// <summary>A deployment behind a batch endpoint: a model deployment or a pipeline component deployment.</summary>
[JsonDerivedType(typeof(ModelBatchDeploymentSpec))]
[JsonDerivedType(typeof(PipelineBatchDeploymentSpec))]
public abstract record BatchDeploymentSpec : ResourceSpec
{

    /// <summary>The endpoint this deployment belongs to; may also come from the CLI's <c>--endpoint-name</c>.</summary>
    [JsonPropertyOrder(-9)]
    public string? EndpointName { get; init; }

    [JsonPropertyOrder(-6)]
    public abstract DeploymentType Type { get; }
}

/// <summary>Model, scoring code, environment, compute and settings: what a batch job runs.</summary>
public sealed record ModelBatchDeploymentSpec : BatchDeploymentSpec
{
    public override DeploymentType Type => DeploymentType.Model;

    public required AssetBinding<ModelSpec> Model { get; init; }

    /// <summary>Absent for no-code deployments (an ONNX model scored without user code).</summary>
    public CodeConfiguration? CodeConfiguration { get; init; }

    public AssetBinding<EnvironmentSpec>? Environment { get; init; }

    /// <summary>The compute cluster; absent means the server's own embedded node.</summary>
    public Reference? Compute { get; init; }

    public DeploymentResources Resources { get; init; } = new();

    public BatchDeploymentSettings Settings { get; init; } = new();
}

public sealed record CodeConfiguration
{
    public required Reference Code { get; init; }

    public required string ScoringScript { get; init; }
}

public sealed record DeploymentResources
{
    /// <summary>Nodes a job runs on (Azure's default: 1).</summary>
    public int InstanceCount { get; init; } = 1;

    public IReadOnlyDictionary<string, string> Properties { get; init; } = ResourceSpec.Empty;
}

/// <summary>The batch settings with Azure ML's defaults.</summary>
public sealed record BatchDeploymentSettings
{
    /// <summary>Files per mini-batch (Azure's default: 10), or for tabular inputs bytes or rows per mini-batch.</summary>
    public MiniBatchSize MiniBatchSize { get; init; } = MiniBatchSize.Default;

    /// <summary>Parallel scoring workers per node (default 1).</summary>
    public int MaxConcurrencyPerInstance { get; init; } = 1;

    /// <summary>Failed items tolerated over the whole job; -1 ignores failures (the default).</summary>
    public int ErrorThreshold { get; init; } = -1;

    /// <summary>Failed mini-batches (after their retries) tolerated over the whole job; -1 ignores them (the default).</summary>
    public int MiniBatchErrorThreshold { get; init; } = -1;

    public RetrySettings RetrySettings { get; init; } = new();

    public LoggingLevel LoggingLevel { get; init; } = LoggingLevel.Info;

    public OutputAction OutputAction { get; init; } = OutputAction.AppendRow;

    public string OutputFileName { get; init; } = DefaultOutputFileName;

    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = ResourceSpec.Empty;

    public const string DefaultOutputFileName = "predictions.csv";
}

public sealed record RetrySettings
{
    /// <summary>Retries of a failed or timed-out mini-batch (default 3).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Seconds one run of a mini-batch may take (default 30).</summary>
    public int Timeout { get; init; } = 30;
}

/// <summary>A multi-step pipeline behind a batch endpoint.</summary>
public sealed record PipelineBatchDeploymentSpec : BatchDeploymentSpec
{
    public override DeploymentType Type => DeploymentType.Pipeline;

    public AssetBinding<ComponentSpec>? Component { get; init; }

    /// <summary>A pipeline job whose graph becomes the deployment (<c>job_definition: azureml:&lt;job&gt;</c>).</summary>
    public Reference? JobDefinition { get; init; }

    public PipelineDeploymentSettings Settings { get; init; } = new();
}

public sealed record PipelineDeploymentSettings
{
    public bool ContinueOnStepFailure { get; init; }

    public string? DefaultCompute { get; init; }

    public string? DefaultDatastore { get; init; }

    public bool ForceRerun { get; init; }
}
