using System.Globalization;
using Samples.Ocr;

// The sample's helper commands (Sluice itself loads the OcrScorer class, not this entry point):
//   dotnet run --project samples/ocr/scorer -- render --output DIR [--labels FILE] [--count 200] [--seed 1] [--model DIR]
//       renders COUNT text-line PNGs into DIR and their truth into FILE (default: DIR.labels.tsv); with --model, only
//       characters the model's keys.txt holds are drawn
//   dotnet run --project samples/ocr/scorer -- score --model DIR --input DIR --output CSV
//       recognises every PNG in the input folder on one thread, without Sluice, and writes file_name,text,confidence
//   dotnet run --project samples/ocr/scorer -- accuracy --labels FILE --predictions CSV [--min 0.9]
//       character accuracy of a job's predictions against the truth; exit 1 when below --min
// Exit codes: 0 success, 1 below --min or an error, 5 invalid arguments.
try
{
    return args.FirstOrDefault() switch
    {
        "render" => Render(args),
        "score" => Score(args),
        "accuracy" => Accuracy(args),
        _ => Usage(),
    };
}
catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}

static int Render(string[] args)
{
    var output = Option(args, "--output") ?? throw new ArgumentException("render needs --output DIR");
    var labels = Option(args, "--labels") ?? Path.TrimEndingDirectorySeparator(Path.GetFullPath(output)) + ".labels.tsv";
    var count = int.Parse(Option(args, "--count") ?? "200", CultureInfo.InvariantCulture);
    var seed = int.Parse(Option(args, "--seed") ?? "1", CultureInfo.InvariantCulture);
    var model = Option(args, "--model");
    var characters = model is null ? null : CharacterSet.Load(OcrRecognizer.ModelFiles(model).Keys);
    using var renderer = new TextLineRenderer();
    var lines = renderer.RenderSet(count, seed, output, labels, characters);
    Console.WriteLine($"rendered {lines.Count} lines into {output} (seed {seed}); truth in {labels}");
    return 0;
}

static int Score(string[] args)
{
    var model = Option(args, "--model") ?? throw new ArgumentException("score needs --model DIR (scripts/ocr-model.sh path prints it)");
    var input = Option(args, "--input") ?? throw new ArgumentException("score needs --input DIR");
    var output = Option(args, "--output") ?? throw new ArgumentException("score needs --output CSV");
    using var recognizer = new OcrRecognizer(model);
    using var writer = new StreamWriter(output);
    writer.WriteLine("file_name,text,confidence");
    var files = Directory.GetFiles(input, "*.png").Order(StringComparer.Ordinal).ToList();
    foreach (var file in files)
    {
        var (text, confidence) = recognizer.RecognizeFile(file) ?? throw new InvalidDataException($"{file} is not an image SkiaSharp can decode");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)},\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\",{confidence}"));
    }

    Console.WriteLine($"recognised {files.Count} images into {output}");
    return 0;
}

static int Accuracy(string[] args)
{
    var labels = Labels.Read(Option(args, "--labels") ?? throw new ArgumentException("accuracy needs --labels FILE"));
    var predictions = Labels.ReadPredictions(Option(args, "--predictions") ?? throw new ArgumentException("accuracy needs --predictions CSV"));
    var report = Labels.Compare(labels, predictions);
    Console.WriteLine(report);
    foreach (var (file, expected, actual) in report.Misses.Take(20))
    {
        Console.WriteLine($"  {file}: expected '{expected}', got '{actual}'");
    }

    var min = Option(args, "--min") is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : 0;
    return report.CharacterAccuracy >= min ? 0 : 1;
}

static int Usage()
{
    Console.Error.WriteLine("usage: OcrScorer render --output DIR [--labels FILE] [--count 200] [--seed 1] [--model DIR]");
    Console.Error.WriteLine("       OcrScorer score --model DIR --input DIR --output CSV");
    Console.Error.WriteLine("       OcrScorer accuracy --labels FILE --predictions CSV [--min 0.9]");
    return 5;
}

static string? Option(string[] args, string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
