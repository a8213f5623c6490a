using Sluice.Core.Naming;
using Sluice.Core.References;
using Sluice.Core.Yaml;

namespace Sluice.Core.Specs.Readers;

internal static class DataAssetReader
{
    public static DataAssetSpec Read(MappingReader m)
    {
        var type = m.Enum<DataAssetType>("type") ?? DataAssetType.UriFolder;
        if (type == DataAssetType.Mltable)
        {
            m.Error("type", "mltable data assets are not supported; use uri_file or uri_folder (Sluice reads CSV, Parquet and JSON Lines files directly)");
        }

        var path = Fields.Reference(m, "path", ReferenceForms.Data, type == DataAssetType.UriFile ? PathKind.File : PathKind.Folder);
        if (path is null && !m.Has("path"))
        {
            m.Missing("path", "the file or folder the asset points at");
        }

        var spec = new DataAssetSpec
        {
            Name = Fields.Name(m, ResourceNames.Asset),
            Version = Fields.Version(m),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Type = type,
            Path = path ?? new NamedReference("missing"),
        };
        m.Ignore("properties");
        m.Complete();
        return spec;
    }
}

internal static class ModelReader
{
    /// <param name="inlineName">For a model written inside a deployment: the name to use when it has none.</param>
    public static ModelSpec Read(MappingReader m, string? inlineName = null)
    {
        var path = Fields.Reference(m, "path", ReferenceForms.DatastorePath | ReferenceForms.LocalPath | ReferenceForms.Web);
        if (path is null && m.Has("local_path"))
        {
            // The legacy schema called the path local_path.
            path = Fields.Reference(m, "local_path", ReferenceForms.LocalPath);
        }
        else
        {
            m.Forbid("local_path", "give either path or the legacy local_path, not both");
        }

        if (path is null && !m.Has("path") && !m.Has("local_path"))
        {
            m.Missing("path", "the model file or folder");
        }

        var spec = new ModelSpec
        {
            Name = Fields.Name(m, ResourceNames.Asset, inlineName),
            Version = Fields.Version(m),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Type = m.Enum<ModelType>("type") ?? ModelType.CustomModel,
            Path = path ?? new NamedReference("missing"),
            Stage = m.String("stage"),
            Properties = m.StringMap("properties") ?? ResourceSpec.Empty,
        };
        Fields.Tolerate(m, "MLflow flavors are read from the model's MLmodel file; ignored", "flavors");
        m.Complete();
        return spec;
    }
}

internal static class EnvironmentReader
{
    public static EnvironmentSpec Read(MappingReader m, string? inlineName = null)
    {
        EnvironmentBuild? build = null;
        if (m.Mapping("build") is { } b)
        {
            var buildPath = Fields.Reference(b, "path", ReferenceForms.LocalPath | ReferenceForms.DatastorePath, PathKind.Folder);
            if (buildPath is null && !b.Has("path"))
            {
                b.Missing("path", "the Docker build context folder");
            }

            build = new EnvironmentBuild { Path = buildPath ?? new NamedReference("missing"), DockerfilePath = b.String("dockerfile_path") };
            b.Complete();
        }

        var spec = new EnvironmentSpec
        {
            Name = Fields.Name(m, ResourceNames.Asset, inlineName),
            Version = Fields.Version(m),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            Image = m.String("image"),
            CondaFile = Fields.Reference(m, "conda_file", ReferenceForms.LocalPath | ReferenceForms.DatastorePath, PathKind.File),
            Build = build,
            OsType = m.Enum<OsType>("os_type") ?? OsType.Linux,
            Interpreter = m.String("interpreter"),
        };
        // By presence: a conda_file or build that is given but invalid is reported on its own, not as missing.
        if (!m.Has("image") && !m.Has("build") && !m.Has("conda_file") && !m.Has("interpreter"))
        {
            m.Context.Error(m.Node, $"{(m.Path.Length == 0 ? "environment" : m.Path)}: give at least one of image, conda_file, build or interpreter");
        }

        Fields.Tolerate(m, "Sluice does not serve online requests; ignored", "inference_config");
        m.Complete();
        return spec;
    }
}
