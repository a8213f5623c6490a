using Sluice.Scoring.Abstractions;
using Sluice.Scoring.DotNet;
using Sluice.Scoring.Onnx;

namespace Sluice.Scoring;

/// <summary>What a worker knows about the scorer to create, with every path already local.</summary>
public sealed record ScorerRequest(string ModelPath, string? CodeFolder, string? ScoringScript, int IntraOpThreads);

/// <summary>Chooses and creates the scorer a deployment asks for.</summary>
public sealed class ScorerFactory(string buildCache)
{
    public async Task<IBatchScorer> CreateAsync(ScorerRequest request, TextWriter log, CancellationToken cancellationToken)
    {
        if (request.CodeFolder is null || request.ScoringScript is null)
        {
            // No code: the no-code path, which needs an ONNX model.
            return new OnnxTabularScorer(request.IntraOpThreads);
        }

        if (request.ScoringScript.EndsWith(".py", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException(
                $"scoring_script '{request.ScoringScript}' is a Python script; Python scoring scripts run in script scorers, which are not available in this version. Use a .NET scorer (a class implementing IBatchScorer) or an ONNX model without code.");
        }

        return await new DotNetScorerLoader(buildCache).CreateAsync(request.CodeFolder, request.ScoringScript, log, cancellationToken);
    }
}
