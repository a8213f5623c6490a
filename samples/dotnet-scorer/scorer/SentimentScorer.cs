using System.Globalization;
using System.Text.Json;
using Sluice.Scoring.Abstractions;

namespace Samples.Sentiment;

/// <summary>
/// Scores text files with a linear bag-of-words model: init loads the word weights from the model folder once per
/// worker; run reads each file of the mini-batch and emits one row per file. A file that is not text fails alone.
/// </summary>
public sealed class SentimentScorer : IBatchScorer
{
    private Dictionary<string, double> _weights = new(StringComparer.Ordinal);
    private double _bias;
    private double _threshold = 0.5;

    public async ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken)
    {
        var path = Directory.Exists(context.ModelPath) ? Path.Combine(context.ModelPath, "weights.json") : context.ModelPath;
        await using var stream = File.OpenRead(path);
        var model = await JsonSerializer.DeserializeAsync<Model>(stream, cancellationToken: cancellationToken)
            ?? throw new InvalidDataException($"{path} is empty");
        _weights = model.Weights;
        _bias = model.Bias;

        // Deployment settings reach the scorer as environment variables, as in Azure ML.
        if (context.EnvironmentVariables.TryGetValue("SENTIMENT_THRESHOLD", out var threshold))
        {
            _threshold = double.Parse(threshold, CultureInfo.InvariantCulture);
        }

        await context.Log.WriteLineAsync($"loaded {_weights.Count} word weights; threshold {_threshold}");
    }

    public async ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        output.SetColumns("file_name", "words", "score", "probability", "label");
        foreach (var file in miniBatch)
        {
            output.BeginFile(file);
            var text = await File.ReadAllTextAsync(file, cancellationToken);
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                output.Fail(file, "NotText", $"{Path.GetFileName(file)} is binary, not text");
                continue;
            }

            var words = text.ToLowerInvariant().Split((char[])[' ', '\n', '\r', '\t', '.', ',', '!', '?', ';', ':', '"', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
            var score = _bias + words.Sum(w => _weights.GetValueOrDefault(w));
            var probability = 1 / (1 + Math.Exp(-score));
            output.AddRow(Path.GetFileName(file), words.Length, score, probability, probability >= _threshold ? "positive" : "negative");
        }
    }

    private sealed record Model(double Bias, Dictionary<string, double> Weights);
}
