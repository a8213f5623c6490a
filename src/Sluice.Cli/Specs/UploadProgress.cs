using Sluice.Cli.Infrastructure;
using Spectre.Console;

namespace Sluice.Cli.Specs;

/// <summary>
/// How an upload advances, on standard error: a progress bar when a person watches, otherwise a line each time another
/// tenth of the bytes is sent (logs and tests see the same facts without terminal control codes).
/// </summary>
internal sealed class UploadProgress
{
    private readonly Action<long> _advance;

    private UploadProgress(Action<long> advance) => _advance = advance;

    /// <summary>Counts bytes sent, or found already on the server when an upload resumes.</summary>
    public void Advance(long bytes) => _advance(bytes);

    public static async Task RunAsync(CliContext context, string description, long totalBytes, Func<UploadProgress, Task> work)
    {
        if (context.IsInteractive)
        {
            await context.Status.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Markup.Escape(description), maxValue: Math.Max(1, totalBytes));
                    await work(new UploadProgress(bytes => task.Increment(bytes)));
                    task.Value = task.MaxValue;
                });
            return;
        }

        var sent = 0L;
        var lastTenth = 0L;
        await work(new UploadProgress(bytes =>
        {
            sent += bytes;
            var tenth = totalBytes == 0 ? 10 : sent * 10 / totalBytes;
            if (tenth > lastTenth)
            {
                lastTenth = tenth;
                context.Status.WriteLine($"  {description}: {LocalArtifactUploader.Bytes(sent)} of {LocalArtifactUploader.Bytes(totalBytes)} ({Math.Min(100, tenth * 10)}%)");
            }
        }));
    }
}
