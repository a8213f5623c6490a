using System.CommandLine;
using Sluice.Cli.Infrastructure;
using Sluice.Cli.Specs;
using Sluice.Core.Specs;

namespace Sluice.Cli.Commands;

internal static class DatastoreCommands
{
    private static readonly Column[] Columns = [new("name", "name"), new("type", "type"), new("path / account", "path"), new("container", "container_name"), new("description", "description")];

    public static Command Build(CliContext context)
    {
        var group = new Command("datastore", "Manage datastores: local folders and Azure Blob containers that hold data and outputs.");

        var name = CommonOptions.Name(required: false, "datastore");
        var file = CommonOptions.File(required: true);
        var set = CommonOptions.Set();
        var create = new Command("create", "Create or update a datastore from a YAML file.") { file, name, set };
        create.Run(context, (parse, ct) =>
        {
            var spec = SpecFiles.FromFileOrOptions<DatastoreSpec>(context, parse.GetValue(file), DocumentKind.Datastore, parse.GetValue(set)!, [("name", parse.GetValue(name))]);
            return ResourceVerbs.PutAsync(context, parse, context.Client(parse).W("datastores", spec.Name), spec, ct);
        });

        var showName = CommonOptions.Name(what: "datastore");
        var show = new Command("show", "Show a datastore (credentials are never shown).") { showName };
        show.Run(context, (parse, ct) => ResourceVerbs.ShowAsync(context, parse, context.Client(parse).W("datastores", parse.GetValue(showName)!), ct));

        var list = new Command("list", "List datastores.");
        list.Run(context, (parse, ct) => ResourceVerbs.ListAsync(context, parse, context.Client(parse).W("datastores"), Columns, ct));

        var updateName = CommonOptions.Name(what: "datastore");
        var updateSet = CommonOptions.Set();
        var update = new Command("update", "Update a datastore with --set key=value. Stored credentials are kept unless new ones are set or the storage account changes.") { updateName, updateSet };
        update.Run(context, async (parse, ct) =>
        {
            var path = context.Client(parse).W("datastores", parse.GetValue(updateName)!);
            // The view shows only which kind of credentials is stored; leaving it out of the spec keeps the stored secret.
            var spec = await ResourceVerbs.FetchAndOverrideAsync<DatastoreSpec>(context, parse, path, DocumentKind.Datastore, parse.GetValue(updateSet)!, ct, "credentials");
            return await ResourceVerbs.PutAsync(context, parse, path, spec, ct);
        });

        var deleteName = CommonOptions.Name(what: "datastore");
        var yes = CommonOptions.Yes();
        var delete = new Command("delete", "Delete a datastore's registration (its content is kept).") { deleteName, yes };
        delete.Run(context, (parse, ct) => ResourceVerbs.DeleteAsync(context, parse, context.Client(parse).W("datastores", parse.GetValue(deleteName)!), ResourceVerbs.Named("datastore", parse.GetValue(deleteName)!), parse.GetValue(yes), ct));

        group.Subcommands.Add(create);
        group.Subcommands.Add(show);
        group.Subcommands.Add(list);
        group.Subcommands.Add(update);
        group.Subcommands.Add(delete);
        return group;
    }
}
