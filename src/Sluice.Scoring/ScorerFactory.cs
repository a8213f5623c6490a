using Sluice.Scoring.Abstractions;
using Sluice.Scoring.DotNet;
using Sluice.Scoring.Onnx;
using Sluice.Scoring.Scripts;

namespace Sluice.Scoring;

/// <summary>What a worker knows about the scorer to create, with every path already local.</summary>
public sealed record ScorerRequest(string ModelPath, string? CodeFolder, string? ScoringScript, int IntraOpThreads)
{
    /// <summary>For script scorers: the interpreter (default <c>python3</c>).</summary>
    public string? Interpreter { get; init; }

    /// <summary>For script scorers: where the script's standard output and error go.</summary>
    public string? StdoutLog { get; init; }

    public string? StderrLog { get; init; }

    /// <summary>Environment variables for script processes (Azure ML's AZUREML_* ones and the deployment's own).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>Chooses and creates the scorer a deployment asks for.</summary>
public sealed class ScorerFactory(string buildCache)
{
    public const string DefaultInterpreter = "python3";

    public async Task<IBatchScorer> CreateAsync(ScorerRequest request, TextWriter log, CancellationToken cancellationToken)
    {
        if (request.CodeFolder is null || request.ScoringScript is null)
        {
            // No code: the no-code path, which needs an ONNX model.
            return new OnnxTabularScorer(request.IntraOpThreads);
        }

        if (request.ScoringScript.EndsWith(".py", StringComparison.OrdinalIgnoreCase))
        {
            var script = Path.Combine(request.CodeFolder, request.ScoringScript);
            if (!File.Exists(script))
            {
                throw new FileNotFoundException($"scoring_script '{request.ScoringScript}' is not in the code folder");
            }

            return new ScriptScorer(new ScriptScorerOptions(
                request.Interpreter ?? DefaultInterpreter,
                script,
                ScriptScorer.ExtractHostScript(Path.Combine(buildCache, "script-host")),
                request.StdoutLog ?? System.IO.Path.GetTempFileName(),
                request.StderrLog ?? System.IO.Path.GetTempFileName(),
                request.Environment));
        }

        return await new DotNetScorerLoader(buildCache).CreateAsync(request.CodeFolder, request.ScoringScript, log, cancellationToken);
    }
}
