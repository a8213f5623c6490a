using System.Text.Json;

namespace Sluice.Server.Jobs;

/// <summary>
/// The body of an invocation, shaped like Azure ML's batch endpoint invoke call (<c>properties.InputData</c>,
/// <c>properties.OutputData</c>) plus the per-job overrides of Azure's batch job resource. Keys match case-insensitively.
/// </summary>
public sealed class InvokeRequest
{
    /// <summary>The job name; generated when absent.</summary>
    public string? Name { get; set; }

    public InvokeProperties? Properties { get; set; }
}

public sealed class InvokeProperties
{
    public Dictionary<string, InvokeInput>? InputData { get; set; }

    public Dictionary<string, InvokeOutput>? OutputData { get; set; }

    /// <summary>The deployment to run; the <c>azureml-model-deployment</c> header does the same.</summary>
    public string? DeploymentName { get; set; }

    /// <summary>Files per mini-batch (a number), or for tabular inputs a size ("10MB") or rows ("5000 rows").</summary>
    public JsonElement? MiniBatchSize { get; set; }

    public InvokeCompute? Compute { get; set; }

    public int? MaxConcurrencyPerInstance { get; set; }

    public int? ErrorThreshold { get; set; }

    public int? MiniBatchErrorThreshold { get; set; }

    public InvokeRetrySettings? RetrySettings { get; set; }

    public string? OutputFileName { get; set; }

    public string? LoggingLevel { get; set; }

    public Dictionary<string, string>? EnvironmentVariables { get; set; }
}

public sealed class InvokeInput
{
    /// <summary><c>UriFolder</c> or <c>UriFile</c> (also <c>uri_folder</c>/<c>uri_file</c>).</summary>
    public string? JobInputType { get; set; }

    public string? Uri { get; set; }

    /// <summary>Sluice extension: also read files in subfolders of a folder input.</summary>
    public bool? Recursive { get; set; }
}

public sealed class InvokeOutput
{
    public string? JobOutputType { get; set; }

    public string? Uri { get; set; }
}

public sealed class InvokeCompute
{
    public int? InstanceCount { get; set; }
}

public sealed class InvokeRetrySettings
{
    public int? MaxRetries { get; set; }

    /// <summary>Seconds, or an ISO 8601 duration such as <c>PT30S</c> as Azure's API writes it.</summary>
    public JsonElement? Timeout { get; set; }
}
