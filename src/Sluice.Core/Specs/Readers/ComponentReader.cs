using System.Text.RegularExpressions;
using Sluice.Core.Naming;
using Sluice.Core.References;
using Sluice.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Specs.Readers;

internal static partial class ComponentReader
{
    public static ComponentSpec Read(MappingReader m, string? inlineName = null)
    {
        var type = m.Enum<ComponentType>("type") ?? (m.IsPresent("jobs") ? ComponentType.Pipeline : ComponentType.Command);
        var name = Fields.Name(m, ResourceNames.Asset, inlineName);
        var inputs = ReadInputs(m);
        var outputs = ReadOutputs(m);

        ComponentSpec spec = type == ComponentType.Command
            ? ReadCommand(m, name, inputs, outputs)
            : ReadPipeline(m, name, inputs, outputs);
        spec = spec with
        {
            Version = Fields.Version(m),
            Description = m.String("description"),
            Tags = Fields.Tags(m),
            DisplayName = m.String("display_name"),
            Inputs = inputs,
            Outputs = outputs,
            IsDeterministic = m.Boolean("is_deterministic") ?? true,
        };
        m.Complete();
        return spec;
    }

    private static CommandComponentSpec ReadCommand(MappingReader m, string name, IReadOnlyDictionary<string, ComponentInput> inputs, IReadOnlyDictionary<string, ComponentOutput> outputs)
    {
        m.Forbid("jobs", "belongs to pipeline components (type: pipeline)");
        var command = m.RequiredString("command", "the command line the step runs, e.g. 'python score.py --data ${{inputs.data}}'");
        if (command is not null)
        {
            foreach (Match binding in BindingPattern().Matches(command))
            {
                var expression = binding.Groups["expr"].Value.Trim();
                var parts = expression.Split('.');
                var known = parts is ["inputs", var i] ? inputs.ContainsKey(i)
                    : parts is ["outputs", var o] ? outputs.ContainsKey(o)
                    : false;
                if (!known)
                {
                    m.Error("command", $"'${{{{{expression}}}}}' names no declared input or output; declared: {string.Join(", ", inputs.Keys.Select(k => "inputs." + k).Concat(outputs.Keys.Select(k => "outputs." + k)))}");
                }
            }
        }

        Fields.Tolerate(m, "distributed training settings do not apply to batch scoring steps; ignored", "distribution", "resources", "instance_count");
        return new CommandComponentSpec
        {
            Name = name,
            Command = command ?? string.Empty,
            Code = Fields.Reference(m, "code", ReferenceForms.LocalPath | ReferenceForms.DatastorePath, PathKind.Folder),
            Environment = Fields.Binding(m, "environment", ReferenceForms.Asset | ReferenceForms.Registry, (r, n) => EnvironmentReader.Read(r, n), $"{name}-env"),
        };
    }

    private static PipelineComponentSpec ReadPipeline(MappingReader m, string name, IReadOnlyDictionary<string, ComponentInput> inputs, IReadOnlyDictionary<string, ComponentOutput> outputs)
    {
        m.Forbid("command", "belongs to command components (type: command)");
        m.Forbid("code", "belongs to command components (type: command); give each step its own code");
        var jobs = new SortedDictionary<string, PipelineStep>(StringComparer.Ordinal);
        var jobsNode = m.Get("jobs");
        if (jobsNode is null)
        {
            m.Missing("jobs", "a pipeline component lists its steps under 'jobs:'");
        }
        else if (jobsNode is not YamlMappingNode jobsMapping)
        {
            m.Error("jobs", $"expected a mapping of step names to steps, got {YamlScalars.Describe(jobsNode)}");
        }
        else
        {
            var stepNames = jobsMapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty).ToHashSet(StringComparer.Ordinal);
            foreach (var (key, value) in jobsMapping.Children)
            {
                var stepName = (key as YamlScalarNode)?.Value ?? string.Empty;
                var path = m.KeyPath($"jobs.{stepName}");
                if (value is not YamlMappingNode stepMapping)
                {
                    m.Context.Error(value, $"{path}: expected a step definition, got {YamlScalars.Describe(value)}", path);
                    continue;
                }

                var step = ReadStep(new MappingReader(m.Context, stepMapping, path), $"{name}-{stepName}", stepName, stepNames, inputs, outputs);
                if (step is not null)
                {
                    jobs[stepName] = step;
                }
            }
        }

        m.Ignore("settings");
        return new PipelineComponentSpec { Name = name, Jobs = jobs };
    }

    private static PipelineStep? ReadStep(MappingReader s, string inlineName, string stepName, IReadOnlySet<string> stepNames, IReadOnlyDictionary<string, ComponentInput> parentInputs, IReadOnlyDictionary<string, ComponentOutput> parentOutputs)
    {
        var type = s.Enum<ComponentType>("type") ?? ComponentType.Command;
        var component = Fields.Binding(s, "component", ReferenceForms.Asset | ReferenceForms.Registry | ReferenceForms.LocalPath, (r, n) => Read(r, n), inlineName, PathKind.File);
        if (component is null && !s.Has("component"))
        {
            s.Missing("component", "the component the step runs: a reference, a path to its YAML file, or an inline definition");
        }

        var inputs = new SortedDictionary<string, StepInput>(StringComparer.Ordinal);
        if (s.Mapping("inputs") is { } i)
        {
            foreach (var inputName in i.Keys.ToList())
            {
                var node = i.Get(inputName);
                var keyPath = i.KeyPath(inputName);
                switch (node)
                {
                    case null:
                        break;
                    case YamlScalarNode scalar:
                        CheckBinding(i.Context, node, keyPath, scalar.Value ?? string.Empty, stepName, stepNames, parentInputs, parentOutputs);
                        inputs[inputName] = new StepInput { Value = scalar.Value };
                        break;
                    case YamlMappingNode mapping:
                        var im = new MappingReader(i.Context, mapping, keyPath);
                        var text = im.String("path");
                        Reference? reference = null;
                        if (text is not null && !text.Contains("${{", StringComparison.Ordinal))
                        {
                            reference = Fields.Reference(im, "path", ReferenceForms.Data | ReferenceForms.Registry);
                        }
                        else if (text is not null)
                        {
                            CheckBinding(i.Context, im.Locate("path"), im.KeyPath("path"), text, stepName, stepNames, parentInputs, parentOutputs);
                        }

                        inputs[inputName] = new StepInput { Value = reference is null ? text : null, Path = reference, Type = im.Enum<IoType>("type"), Mode = im.String("mode") };
                        im.Complete();
                        break;
                    default:
                        i.Error(inputName, $"expected a value, a binding such as ${{{{parent.inputs.x}}}}, or {{path, type}}; got {YamlScalars.Describe(node)}");
                        break;
                }
            }
        }

        var outputs = new SortedDictionary<string, StepOutput>(StringComparer.Ordinal);
        if (s.Mapping("outputs") is { } o)
        {
            foreach (var outputName in o.Keys.ToList())
            {
                var node = o.Get(outputName);
                if (node is null)
                {
                    outputs[outputName] = new StepOutput();
                    continue;
                }

                if (node is not YamlMappingNode mapping)
                {
                    o.Error(outputName, $"expected an output definition {{mode, path}} or nothing, got {YamlScalars.Describe(node)}");
                    continue;
                }

                var om = new MappingReader(o.Context, mapping, o.KeyPath(outputName));
                var path = om.String("path");
                if (path is not null)
                {
                    CheckBinding(om.Context, om.Locate("path"), om.KeyPath("path"), path, stepName, stepNames, parentInputs, parentOutputs);
                }

                outputs[outputName] = new StepOutput { Mode = om.String("mode"), Path = path, Type = om.Enum<IoType>("type") };
                om.Complete();
            }
        }

        var compute = s.String("compute");
        s.Complete();
        return component is null ? null : new PipelineStep { Type = type, Component = component, Inputs = inputs, Outputs = outputs, Compute = compute };
    }

    private static void CheckBinding(SpecContext context, YamlNode node, string keyPath, string text, string stepName, IReadOnlySet<string> stepNames, IReadOnlyDictionary<string, ComponentInput> parentInputs, IReadOnlyDictionary<string, ComponentOutput> parentOutputs)
    {
        foreach (Match binding in BindingPattern().Matches(text))
        {
            var expression = binding.Groups["expr"].Value.Trim();
            var problem = expression.Split('.') switch
            {
                ["parent", "inputs", var input] => parentInputs.ContainsKey(input) ? null : $"the pipeline declares no input '{input}' (declared: {List(parentInputs.Keys)})",
                ["parent", "outputs", var output] => parentOutputs.ContainsKey(output) ? null : $"the pipeline declares no output '{output}' (declared: {List(parentOutputs.Keys)})",
                ["parent", "jobs", var job, "outputs", _] when job == stepName => $"step '{stepName}' cannot consume its own output",
                ["parent", "jobs", var job, "outputs", _] => stepNames.Contains(job) ? null : $"there is no step '{job}' (steps: {List(stepNames)})",
                _ => "expected ${{parent.inputs.<name>}}, ${{parent.outputs.<name>}} or ${{parent.jobs.<step>.outputs.<name>}}",
            };
            if (problem is not null)
            {
                context.Error(node, $"{keyPath}: '${{{{{expression}}}}}': {problem}", keyPath);
            }
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var list = string.Join(", ", names.Order(StringComparer.Ordinal));
        return list.Length == 0 ? "none" : list;
    }

    private static SortedDictionary<string, ComponentInput> ReadInputs(MappingReader m)
    {
        var result = new SortedDictionary<string, ComponentInput>(StringComparer.Ordinal);
        if (m.Mapping("inputs") is not { } inputs)
        {
            return result;
        }

        foreach (var inputName in inputs.Keys.ToList())
        {
            CheckIoName(inputs, inputName);
            if (inputs.Mapping(inputName) is not { } d)
            {
                if (!inputs.Has(inputName))
                {
                    inputs.Error(inputName, "expected an input definition such as {type: uri_folder}");
                }

                continue;
            }

            var type = d.Enum<IoType>("type");
            if (type is null && !d.IsPresent("type"))
            {
                d.Missing("type", $"one of: {string.Join(", ", EnumNames<IoType>.All)}");
            }

            result[inputName] = new ComponentInput
            {
                Type = type ?? IoType.String,
                Default = d.String("default"),
                Optional = d.Boolean("optional") ?? false,
                Description = d.String("description"),
                Min = d.Number("min"),
                Max = d.Number("max"),
                Enum = d.IsPresent("enum") ? Fields.StringList(d, "enum") : null,
            };
            d.Complete();
        }

        return result;
    }

    private static SortedDictionary<string, ComponentOutput> ReadOutputs(MappingReader m)
    {
        var result = new SortedDictionary<string, ComponentOutput>(StringComparer.Ordinal);
        if (m.Mapping("outputs") is not { } outputs)
        {
            return result;
        }

        foreach (var outputName in outputs.Keys.ToList())
        {
            CheckIoName(outputs, outputName);
            if (outputs.Mapping(outputName) is not { } d)
            {
                if (!outputs.Has(outputName))
                {
                    outputs.Error(outputName, "expected an output definition such as {type: uri_folder}");
                }

                continue;
            }

            var mode = d.String("mode");
            if (mode is not null and not ("upload" or "rw_mount" or "direct"))
            {
                d.Error("mode", $"'{mode}' is not an output mode; expected upload, rw_mount or direct");
            }

            result[outputName] = new ComponentOutput { Type = d.Enum<IoType>("type") ?? IoType.UriFolder, Mode = mode, Description = d.String("description") };
            d.Complete();
        }

        return result;
    }

    private static void CheckIoName(MappingReader m, string name)
    {
        if (!IoNamePattern().IsMatch(name))
        {
            m.Context.Error(m.LocateKey(name), $"{m.KeyPath(name)}: '{name}' is not a valid input or output name (letters, digits and '_', not starting with a digit)", m.KeyPath(name));
        }
    }

    [GeneratedRegex(@"\$\{\{(?<expr>[^}]*)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex BindingPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IoNamePattern();
}
