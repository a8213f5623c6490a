namespace Sluice.Scoring.Abstractions;

/// <summary>What a scorer is given at start-up: its model, its settings, where to write, and a log.</summary>
public sealed class ScorerContext
{
    public ScorerContext(string modelPath, string? outputFolder, IReadOnlyDictionary<string, string> environmentVariables, string workerId, TextWriter log)
    {
        ModelPath = modelPath;
        OutputFolder = outputFolder;
        EnvironmentVariables = environmentVariables;
        WorkerId = workerId;
        Log = log;
    }

    /// <summary>The model file or folder on local disk (Azure ML's <c>AZUREML_MODEL_DIR</c>).</summary>
    public string ModelPath { get; }

    /// <summary>
    /// For <c>output_action: summary_only</c>: a local folder of this worker's own where the scorer writes its outputs
    /// (Azure ML's <c>AZUREML_BI_OUTPUT_PATH</c>); Sluice publishes its content to the job's output folder. Null with
    /// <c>append_row</c>, where rows are the output.
    /// </summary>
    public string? OutputFolder { get; }

    /// <summary>The deployment's <c>environment_variables</c>, with per-job overrides applied.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; }

    /// <summary>This worker's name, as it appears in the job's logs.</summary>
    public string WorkerId { get; }

    /// <summary>The worker's log: lines land in the job's <c>logs/user/</c> folder.</summary>
    public TextWriter Log { get; }
}
