using System.Globalization;
using Sluice.Scoring.Abstractions;

namespace Samples.Ocr;

/// <summary>
/// A Sluice scorer for text-line images with PaddleOCR's recognition model: init opens the process's shared session
/// (the model folder holds rec.onnx and keys.txt); run recognises each image of the mini-batch and adds one row per
/// file (file_name, text, confidence). A file that is not an image fails alone.
/// Settings (deployment environment variables): OCR_INTRA_OP_THREADS, ONNX Runtime's threads per inference (default 1:
/// with one worker per core, each worker's inference on one thread uses the machine best); OCR_MIN_WIDTH, the narrowest
/// tensor (default 64).
/// </summary>
public sealed class OcrScorer : IBatchScorer, IDisposable
{
    private OcrRecognizer? _recognizer;

    public async ValueTask InitAsync(ScorerContext context, CancellationToken cancellationToken)
    {
        var threads = Setting(context, "OCR_INTRA_OP_THREADS", 1);
        var minWidth = Setting(context, "OCR_MIN_WIDTH", OcrPreprocessor.DefaultMinWidth);
        _recognizer = new OcrRecognizer(context.ModelPath, threads, minWidth);
        await context.Log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"PaddleOCR recognition: {_recognizer.Decoder.Characters.Count} classes, {threads} intra-op thread(s), minimum width {minWidth}"));
    }

    public ValueTask RunAsync(IReadOnlyList<string> miniBatch, ScoreOutput output, CancellationToken cancellationToken)
    {
        var recognizer = _recognizer ?? throw new InvalidOperationException("RunAsync was called before InitAsync");
        output.SetColumns("file_name", "text", "confidence");
        foreach (var file in miniBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            output.BeginFile(file);
            (string Text, float Confidence)? result;
            try
            {
                result = recognizer.RecognizeFile(file);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                // One image the model or the preprocessing cannot take fails alone, not its whole mini-batch.
                output.Fail(file, "RecognitionFailed", $"{Path.GetFileName(file)}: {ex.Message}");
                continue;
            }

            if (result is not { } line)
            {
                output.Fail(file, "NotAnImage", $"{Path.GetFileName(file)} is not an image SkiaSharp can decode");
                continue;
            }

            output.AddRow(Path.GetFileName(file), line.Text, line.Confidence);
        }

        return ValueTask.CompletedTask;
    }

    public void Dispose() => _recognizer?.Dispose();

    private static int Setting(ScorerContext context, string name, int fallback)
    {
        if (!context.EnvironmentVariables.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"the environment variable {name} is '{text}'; it takes a positive whole number");
    }
}
