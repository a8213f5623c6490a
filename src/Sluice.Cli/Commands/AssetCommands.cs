using System.CommandLine;
using Sluice.Cli.Infrastructure;
using Sluice.Cli.Specs;
using Sluice.Core.Specs;
using Spectre.Console;

namespace Sluice.Cli.Commands;

/// <summary><c>data</c>, <c>model</c>, <c>environment</c> and <c>component</c>: versioned assets with the same verbs.</summary>
internal static class AssetCommands
{
    public static Command Build(CliContext context, ResourceKind kind)
    {
        var (group, collection) = kind switch
        {
            ResourceKind.Data => (new Command("data", "Manage data assets: named, versioned pointers to files and folders."), "data"),
            ResourceKind.Model => (new Command("model", "Manage models: named, versioned model files or folders."), "models"),
            ResourceKind.Environment => (new Command("environment", "Manage environments: what scoring code runs in."), "environments"),
            _ => (new Command("component", "Manage components: command and pipeline steps."), "components"),
        };
        Column[] columns = [new("name", "name"), new("version", "version"), new("type", "type"), new("description", "description"), new("created", "creation_context.created_at")];

        var file = CommonOptions.File(required: kind == ResourceKind.Component);
        var name = CommonOptions.Name(required: false, kind.DisplayName());
        var version = CommonOptions.Version();
        var set = CommonOptions.Set();
        var description = new Option<string?>("--description") { Description = "A description." };
        var create = new Command("create", $"Create a {kind.DisplayName()} version from a file or options; local paths are uploaded.") { file, name, version, description, set };
        var path = new Option<string?>("--path", "-p") { Description = "A local path, azureml://datastores/<ds>/paths/<p>, or a URL." };
        var type = new Option<string?>("--type", "-t") { Description = kind == ResourceKind.Data ? "uri_file or uri_folder." : "custom_model, mlflow_model or triton_model." };
        var image = new Option<string?>("--image", "-i") { Description = "A container image." };
        var condaFile = new Option<string?>("--conda-file") { Description = "A local conda environment file." };
        if (kind is ResourceKind.Data or ResourceKind.Model)
        {
            create.Options.Add(path);
            create.Options.Add(type);
        }
        else if (kind == ResourceKind.Environment)
        {
            create.Options.Add(image);
            create.Options.Add(condaFile);
        }

        create.Run(context, async (parse, ct) =>
        {
            var spec = SpecFiles.FromFileOrOptions<VersionedResourceSpec>(context, parse.GetValue(file), kind.ToDocumentKind(), parse.GetValue(set)!,
            [
                ("name", parse.GetValue(name)), ("version", parse.GetValue(version)), ("description", parse.GetValue(description)),
                ("path", parse.GetValue(path)), ("type", parse.GetValue(type)), ("image", parse.GetValue(image)), ("conda_file", parse.GetValue(condaFile)),
            ]);
            var client = context.Client(parse);
            spec = await new LocalArtifactUploader(client, context).UploadAsync(spec, ct);
            return spec.Version is null
                ? await ResourceVerbs.PostAsync(context, parse, client.W(collection, spec.Name, "versions"), spec, ct)
                : await ResourceVerbs.PutAsync(context, parse, client.W(collection, spec.Name, "versions", spec.Version), spec, ct);
        });

        var showName = CommonOptions.Name(what: kind.DisplayName());
        var showVersion = CommonOptions.Version();
        var label = new Option<string?>("--label", "-l") { Description = "'latest' for the newest version (the default when no version is given)." };
        var show = new Command("show", $"Show a {kind.DisplayName()} version (the latest unless --version is given).") { showName, showVersion, label };
        show.Run(context, (parse, ct) =>
        {
            if (parse.GetValue(label) is { } l && l != "latest")
            {
                throw new CliException($"--label '{l}' is not known; the only label is 'latest'.", ExitCodes.Invalid);
            }

            var client = context.Client(parse);
            var v = parse.GetValue(showVersion);
            return ResourceVerbs.ShowAsync(context, parse, v is null ? client.W(collection, parse.GetValue(showName)!) : client.W(collection, parse.GetValue(showName)!, "versions", v), ct);
        });

        var listName = CommonOptions.Name(required: false, kind.DisplayName());
        var includeArchived = new Option<bool>("--include-archived") { Description = "Also list archived versions (hidden by default)." };
        var list = new Command("list", $"List {kind.DisplayName()}s (latest versions), or every version of one with --name.") { listName, includeArchived };
        list.Run(context, (parse, ct) =>
        {
            var client = context.Client(parse);
            var n = parse.GetValue(listName);
            var path = n is null ? client.W(collection) : client.W(collection, n, "versions");
            return parse.GetValue(includeArchived)
                ? ResourceVerbs.ListAsync(context, parse, path + "?include_archived=true", [.. columns, new("archived", "archived")], ct)
                : ResourceVerbs.ListAsync(context, parse, path, columns, ct);
        });

        var deleteName = CommonOptions.Name(what: kind.DisplayName());
        var deleteVersion = CommonOptions.Version();
        deleteVersion.Required = true;
        var yes = CommonOptions.Yes();
        var delete = new Command("delete", $"Delete a {kind.DisplayName()} version.") { deleteName, deleteVersion, yes };
        delete.Run(context, (parse, ct) => ResourceVerbs.DeleteAsync(context, parse,
            context.Client(parse).W(collection, parse.GetValue(deleteName)!, "versions", parse.GetValue(deleteVersion)!),
            $"{kind.DisplayName()} '{parse.GetValue(deleteName)}' version '{parse.GetValue(deleteVersion)}'", parse.GetValue(yes), ct));

        group.Subcommands.Add(create);
        group.Subcommands.Add(show);
        group.Subcommands.Add(list);
        group.Subcommands.Add(delete);
        group.Subcommands.Add(ArchiveVerb(context, kind, collection, archive: true));
        group.Subcommands.Add(ArchiveVerb(context, kind, collection, archive: false));
        return group;
    }

    /// <summary><c>archive</c> and <c>restore</c>: hide a version (or every version) from lists and <c>@latest</c>, or show it again.</summary>
    private static Command ArchiveVerb(CliContext context, ResourceKind kind, string collection, bool archive)
    {
        var verb = archive ? "archive" : "restore";
        var name = CommonOptions.Name(what: kind.DisplayName());
        var version = CommonOptions.Version();
        version.Description = archive ? "The version to archive (default: every version)." : "The version to restore (default: every version).";
        var command = new Command(verb, archive
            ? $"Archive a {kind.DisplayName()} version, or all of them: hidden from list and @latest, still usable by explicit version."
            : $"Restore an archived {kind.DisplayName()} version, or all of them.") { name, version };
        command.Run(context, async (parse, ct) =>
        {
            var client = context.Client(parse);
            var n = parse.GetValue(name)!;
            var v = parse.GetValue(version);
            await client.PostAsync(v is null ? client.W(collection, n, verb) : client.W(collection, n, "versions", v, verb), "{}", ct);
            var what = v is null ? $"every version of {kind.DisplayName()} '{n}'" : $"{kind.DisplayName()} '{n}' version '{v}'";
            context.Console.MarkupLine($"{(archive ? "Archived" : "Restored")} {Markup.Escape(what)}.");
            return ExitCodes.Success;
        });
        return command;
    }
}
