using System.CommandLine;
using System.Text.Json.Nodes;
using Sluice.Cli.Infrastructure;
using Sluice.Core.Jobs;
using Sluice.Core.References;
using Spectre.Console;

namespace Sluice.Cli.Commands;

internal static class JobCommands
{
    public static Command Build(CliContext context)
    {
        var group = new Command("job", "Follow, cancel and download batch jobs.");

        var showName = CommonOptions.Name(what: "job");
        var show = new Command("show", "Show a job: status, why it ended, progress, where its outputs and logs are.") { showName };
        show.Run(context, (parse, ct) => ResourceVerbs.ShowAsync(context, parse, context.Client(parse).W("jobs", parse.GetValue(showName)!), ct));

        var endpoint = new Option<string?>("--endpoint-name", "-e") { Description = "Only the jobs of this batch endpoint." };
        var top = new Option<int?>("--max-results", "-r") { Description = "At most this many jobs (default 100)." };
        var list = new Command("list", "List jobs, newest first.") { endpoint, top };
        list.Run(context, (parse, ct) =>
        {
            var query = $"?top={parse.GetValue(top) ?? 100}" + (parse.GetValue(endpoint) is { } e ? $"&endpoint={Uri.EscapeDataString(e)}" : string.Empty);
            return ResourceVerbs.ListAsync(context, parse, context.Client(parse).W("jobs") + query, BatchEndpointCommands.JobColumns, ct);
        });

        var streamName = CommonOptions.Name(what: "job");
        var stream = new Command("stream", "Follow a job until it ends; exit 0 Completed, 2 Failed or Completed with failed items, 3 Canceled.") { streamName };
        stream.Run(context, (parse, ct) => JobStream.FollowAsync(context, context.Client(parse), parse.GetValue(streamName)!, ct));

        var cancelName = CommonOptions.Name(what: "job");
        var cancel = new Command("cancel", "Cancel a running job; committed results are kept.") { cancelName };
        cancel.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var job = await client.PostAsync(client.W("jobs", parse.GetValue(cancelName)!, "cancel"), "{}", ct);
            Output.Resource(context, job, GlobalOptions.FormatOf(parse, OutputFormat.Json));
            return ExitCodes.Success;
        });

        group.Subcommands.Add(show);
        group.Subcommands.Add(list);
        group.Subcommands.Add(stream);
        group.Subcommands.Add(cancel);
        group.Subcommands.Add(BuildDownload(context));
        return group;
    }

    private static Command BuildDownload(CliContext context)
    {
        var name = CommonOptions.Name(what: "job");
        var outputName = new Option<string?>("--output-name") { Description = "Download only this output ('score'), not the logs." };
        var all = new Option<bool>("--all") { Description = "Download every output and the logs (the default without --output-name)." };
        var path = new Option<string?>("--download-path", "-p") { Description = "The folder to download into (default: the current folder)." };
        var download = new Command("download", "Download a job's outputs and logs into <download-path>/<job>/.") { name, outputName, all, path };
        download.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var jobName = parse.GetValue(name)!;
            var job = await client.GetAsync(client.W("jobs", jobName), ct);
            var root = Path.Combine(Path.GetFullPath(parse.GetValue(path) ?? "."), jobName);
            var wanted = parse.GetValue(outputName);
            var folders = new List<(string Uri, string Local)>();
            foreach (var (output, node) in job["outputs"]?.AsObject() ?? [])
            {
                if (wanted is null || wanted == output)
                {
                    folders.Add(((string)node!["path"]!, Path.Combine(root, "named-outputs", output)));
                }
            }

            if (wanted is not null && folders.Count == 0)
            {
                throw new CliException($"Job '{jobName}' has no output named '{wanted}'.", ExitCodes.Invalid, hint: $"outputs: {string.Join(", ", (job["outputs"]?.AsObject() ?? []).Select(o => o.Key))}");
            }

            if (wanted is null || parse.GetValue(all))
            {
                folders.Add(((string)job["logs"]!, Path.Combine(root, "logs")));
            }

            var count = 0;
            foreach (var (uri, local) in folders)
            {
                count += await DownloadFolderAsync(client, uri, local, ct);
            }

            context.Console.MarkupLine($"Downloaded {count} file{(count == 1 ? string.Empty : "s")} to [bold]{Markup.Escape(root)}[/]");
            return ExitCodes.Success;
        });
        return download;
    }

    private static async Task<int> DownloadFolderAsync(SluiceClient client, string uri, string local, CancellationToken ct)
    {
        if (!ReferenceParser.TryParse(uri, ReferenceForms.DatastorePath, null, out var reference, out _) || reference is not DatastorePathReference folder)
        {
            throw new CliException($"'{uri}' is not a datastore path.", ExitCodes.Error);
        }

        var prefix = folder.Path.TrimEnd('/');
        var count = 0;
        string? after = null;
        do
        {
            var query = $"?path={Uri.EscapeDataString(prefix)}&recursive=true" + (after is null ? string.Empty : $"&after={Uri.EscapeDataString(after)}");
            var page = await client.GetAsync(client.W("datastores", folder.Datastore, "files") + query, ct);
            foreach (var item in page["value"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                var remote = (string)item["path"]!;
                var relative = prefix.Length == 0 ? remote : remote[(prefix.Length + 1)..];
                var target = Path.Combine(local, relative.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await using (var file = File.Create(target))
                {
                    await client.DownloadAsync(client.W("datastores", folder.Datastore, "files") + "/" + string.Join('/', remote.Split('/').Select(Uri.EscapeDataString)), file, ct);
                }

                count++;
            }

            after = (string?)page["next_after"];
        }
        while (after is not null);

        return count;
    }
}

/// <summary>Follows a job with a progress bar (or plain lines when nobody watches) and maps its end to an exit code.</summary>
internal static class JobStream
{
    public static async Task<int> FollowAsync(CliContext context, SluiceClient client, string jobName, CancellationToken ct, TimeSpan? pollInterval = null)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(250);
        JsonObject job;
        if (context.IsInteractive)
        {
            job = await FollowWithProgressBarAsync(context, client, jobName, interval, ct);
        }
        else
        {
            job = await FollowWithLinesAsync(context, client, jobName, interval, ct);
        }

        var status = (string?)job["status"];
        var reason = (string?)job["status_reason"];
        context.Console.MarkupLine($"Job [bold]{Markup.Escape(jobName)}[/] {Colour(status)}{(reason is null ? string.Empty : ": " + Markup.Escape(reason))}");
        // A job that completed with failed items (error_threshold allowed them) still did not do all it was asked:
        // scripts see it in the exit code, not only in the logs.
        var failedItems = (long?)job["progress"]?["items"]?["failed"] ?? 0;
        return status switch
        {
            JobStatuses.Completed when failedItems > 0 => ExitCodes.JobFailed,
            JobStatuses.Completed => ExitCodes.Success,
            JobStatuses.Canceled => ExitCodes.JobCanceled,
            _ => ExitCodes.JobFailed,
        };
    }

    private static async Task<JsonObject> FollowWithProgressBarAsync(CliContext context, SluiceClient client, string jobName, TimeSpan interval, CancellationToken ct)
    {
        JsonObject job = [];
        await context.Status.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask(jobName, maxValue: 1);
                while (true)
                {
                    job = await client.GetAsync(client.W("jobs", jobName), ct);
                    var (total, done, failed, items) = Counts(job);
                    task.MaxValue = Math.Max(1, total);
                    task.Value = done;
                    task.Description = $"{(string?)job["status"]} {done}/{total} mini-batches, {items} items{(failed > 0 ? $", {failed} failed" : string.Empty)}";
                    if (JobStatuses.IsTerminal((string?)job["status"] ?? string.Empty))
                    {
                        task.Value = task.MaxValue;
                        return;
                    }

                    await Task.Delay(interval, ct);
                }
            });
        return job;
    }

    private static async Task<JsonObject> FollowWithLinesAsync(CliContext context, SluiceClient client, string jobName, TimeSpan interval, CancellationToken ct)
    {
        string? last = null;
        while (true)
        {
            var job = await client.GetAsync(client.W("jobs", jobName), ct);
            var (total, done, failed, items) = Counts(job);
            var line = $"{(string?)job["status"]}: {done}/{total} mini-batches, {items} items succeeded{(failed > 0 ? $", {failed} failed" : string.Empty)}";
            if (line != last)
            {
                context.Status.WriteLine(line);
                last = line;
            }

            if (JobStatuses.IsTerminal((string?)job["status"] ?? string.Empty))
            {
                return job;
            }

            await Task.Delay(interval, ct);
        }
    }

    private static (int Total, int Done, long Failed, long Items) Counts(JsonObject job)
    {
        var progress = job["progress"];
        var total = (int?)progress?["mini_batches"]?["total"] ?? 0;
        var done = ((int?)progress?["mini_batches"]?["succeeded"] ?? 0) + ((int?)progress?["mini_batches"]?["failed"] ?? 0);
        return (total, done, (long?)progress?["items"]?["failed"] ?? 0, (long?)progress?["items"]?["succeeded"] ?? 0);
    }

    private static string Colour(string? status) => status switch
    {
        JobStatuses.Completed => "[green]Completed[/]",
        JobStatuses.Failed => "[red]Failed[/]",
        JobStatuses.Canceled => "[yellow]Canceled[/]",
        _ => Markup.Escape(status ?? "unknown"),
    };
}
