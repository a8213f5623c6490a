using Sluice.Core.References;
using Sluice.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Specs.Readers;

internal static class CondaFileReader
{
    public static CondaFileSpec Read(MappingReader m)
    {
        var dependencies = new List<string>();
        var pip = new List<string>();
        if (m.Sequence("dependencies") is { } sequence)
        {
            foreach (var item in sequence)
            {
                switch (item)
                {
                    case YamlScalarNode { Value: { } text }:
                        dependencies.Add(text);
                        break;
                    case YamlMappingNode mapping:
                        var inner = new MappingReader(m.Context, mapping, "dependencies[]");
                        pip.AddRange(Fields.StringList(inner, "pip"));
                        inner.Complete();
                        break;
                    default:
                        m.Context.Error(item, $"dependencies: expected a package spec or {{pip: [...]}}, got {YamlScalars.Describe(item)}", "dependencies");
                        break;
                }
            }
        }

        var spec = new CondaFileSpec
        {
            Name = m.String("name"),
            Channels = Fields.StringList(m, "channels"),
            Dependencies = dependencies,
            PipDependencies = pip,
        };
        m.Ignore("prefix", "variables");
        m.Complete();
        return spec;
    }
}

internal static class JobIoReader
{
    public static JobIoSpec Read(MappingReader m)
    {
        var inputs = new SortedDictionary<string, JobInput>(StringComparer.Ordinal);
        if (m.Mapping("inputs") is { } i)
        {
            foreach (var name in i.Keys.ToList())
            {
                if (i.Mapping(name) is not { } d)
                {
                    continue;
                }

                var type = d.Enum<IoType>("type") ?? IoType.UriFolder;
                var isLiteral = type is IoType.String or IoType.Integer or IoType.Number or IoType.Boolean;
                inputs[name] = new JobInput
                {
                    Type = type,
                    Path = isLiteral ? null : Fields.Reference(d, "path", ReferenceForms.Data, type == IoType.UriFile ? PathKind.File : PathKind.FileOrFolder),
                    Value = isLiteral ? d.String("default") ?? d.String("value") : null,
                    Mode = d.String("mode"),
                };
                if (!isLiteral && inputs[name].Path is null && !d.Has("path"))
                {
                    d.Missing("path", "the data the input points at");
                }

                if (isLiteral)
                {
                    d.Forbid("path", $"a {EnumNames<IoType>.ToName(type)} input takes a value (default:), not a path");
                }
                else
                {
                    d.Forbid("default", "data inputs take a path, not a default");
                    d.Forbid("value", "data inputs take a path, not a value");
                }

                d.Complete();
            }
        }

        var outputs = new SortedDictionary<string, JobOutput>(StringComparer.Ordinal);
        if (m.Mapping("outputs") is { } o)
        {
            foreach (var name in o.Keys.ToList())
            {
                if (o.Mapping(name) is not { } d)
                {
                    continue;
                }

                outputs[name] = new JobOutput
                {
                    Type = d.Enum<IoType>("type") ?? IoType.UriFolder,
                    Path = Fields.Reference(d, "path", ReferenceForms.DatastorePath),
                    Mode = d.String("mode"),
                };
                d.Complete();
            }
        }

        m.Complete();
        return new JobIoSpec { Inputs = inputs, Outputs = outputs };
    }
}
