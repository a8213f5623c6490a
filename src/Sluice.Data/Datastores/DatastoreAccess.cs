using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;

namespace Sluice.Data.Datastores;

/// <summary>
/// What a process needs to open a datastore without asking the metadata store: its kind and where it is. Compute
/// nodes receive this with their work, so they never need the database.
/// </summary>
public sealed record DatastoreAccess(string Name, DatastoreType Type, string? LocalRoot)
{
    public static DatastoreAccess From(DatastoreSpec spec) => new(spec.Name, spec.Type, spec.Path);

    public IDatastoreClient Open() => Type switch
    {
        DatastoreType.Local => new LocalDatastoreClient(LocalRoot ?? throw new InvalidOperationException($"Local datastore '{Name}' has no folder.")),
        _ => throw new SluiceException(
            $"Reading and writing content of '{Core.Yaml.EnumNames<DatastoreType>.ToName(Type)}' datastores is not available in this version; datastore '{Name}' can be registered but not used by jobs yet.",
            SluiceErrorKind.Invalid,
            "use a local datastore such as workspaceblobstore"),
    };
}
