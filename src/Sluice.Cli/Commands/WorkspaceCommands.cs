using System.CommandLine;
using Sluice.Cli.Infrastructure;
using Sluice.Cli.Specs;
using Sluice.Core.Specs;

namespace Sluice.Cli.Commands;

internal static class WorkspaceCommands
{
    private static readonly Column[] Columns = [new("name", "name"), new("network", "network_mode"), new("description", "description"), new("created", "creation_context.created_at")];

    public static Command Build(CliContext context)
    {
        var group = new Command("workspace", "Manage workspaces: the unit that holds every other resource.");

        var name = CommonOptions.Name(required: false, "workspace");
        var file = CommonOptions.File();
        var set = CommonOptions.Set();
        var description = new Option<string?>("--description") { Description = "A description." };
        var displayName = new Option<string?>("--display-name") { Description = "A display name." };
        var access = new Option<string?>("--public-network-access") { Description = "Enabled (public) or Disabled (private: reachable only through private endpoints)." };
        var create = new Command("create", "Create or update a workspace from a file or options.") { name, file, set, description, displayName, access };
        create.Run(context, (parse, ct) =>
        {
            var spec = SpecFiles.FromFileOrOptions<WorkspaceSpec>(context, parse.GetValue(file), DocumentKind.Workspace, parse.GetValue(set)!,
                [("name", parse.GetValue(name)), ("description", parse.GetValue(description)), ("display_name", parse.GetValue(displayName)), ("public_network_access", parse.GetValue(access))]);
            return ResourceVerbs.PutAsync(context, parse, $"/workspaces/{Uri.EscapeDataString(spec.Name)}", spec, ct);
        });

        var showName = CommonOptions.Name(what: "workspace");
        var show = new Command("show", "Show a workspace.") { showName };
        show.Run(context, (parse, ct) => ResourceVerbs.ShowAsync(context, parse, $"/workspaces/{Uri.EscapeDataString(parse.GetValue(showName)!)}", ct));

        var list = new Command("list", "List workspaces.");
        list.Run(context, (parse, ct) => ResourceVerbs.ListAsync(context, parse, "/workspaces", Columns, ct));

        var updateName = CommonOptions.Name(what: "workspace");
        var updateSet = CommonOptions.Set();
        var update = new Command("update", "Update a workspace with --set key=value.") { updateName, updateSet };
        update.Run(context, async (parse, ct) =>
        {
            var path = $"/workspaces/{Uri.EscapeDataString(parse.GetValue(updateName)!)}";
            var spec = await ResourceVerbs.FetchAndOverrideAsync<WorkspaceSpec>(context, parse, path, DocumentKind.Workspace, parse.GetValue(updateSet)!, ct);
            return await ResourceVerbs.PutAsync(context, parse, path, spec, ct);
        });

        var deleteName = CommonOptions.Name(what: "workspace");
        var yes = CommonOptions.Yes();
        var delete = new Command("delete", "Delete a workspace and its metadata (datastore files are kept).") { deleteName, yes };
        delete.Run(context, (parse, ct) => ResourceVerbs.DeleteAsync(context, parse, $"/workspaces/{Uri.EscapeDataString(parse.GetValue(deleteName)!)}", ResourceVerbs.Named("workspace", parse.GetValue(deleteName)!), parse.GetValue(yes), ct));

        group.Subcommands.Add(create);
        group.Subcommands.Add(show);
        group.Subcommands.Add(list);
        group.Subcommands.Add(update);
        group.Subcommands.Add(delete);
        group.Subcommands.Add(WorkspaceDiagnoseCommand.Build(context));
        return group;
    }
}
