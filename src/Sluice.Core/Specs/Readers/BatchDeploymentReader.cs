using Sluice.Core.Naming;
using Sluice.Core.References;
using Sluice.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sluice.Core.Specs.Readers;

internal static class BatchDeploymentReader
{
    /// <summary>The keys of Azure ML's batch settings; the legacy schema wrote them at the top level.</summary>
    internal static readonly string[] ModelSettingKeys =
    [
        "mini_batch_size", "max_concurrency_per_instance", "error_threshold", "mini_batch_error_threshold", "retry_settings",
        "logging_level", "output_action", "output_file_name", "environment_variables",
    ];

    private static readonly string[] ModelOnlyKeys = ["model", "code_configuration", "environment", "resources", "compute", .. ModelSettingKeys];

    public static BatchDeploymentSpec Read(MappingReader m)
    {
        m.Forbid("public_network_access", BatchEndpointReader.NetworkModeExplanation);
        m.Forbid("egress_public_network_access", BatchEndpointReader.NetworkModeExplanation);

        var type = m.Enum<DeploymentType>("type")
            ?? (m.IsPresent("component") || m.IsPresent("job_definition") ? DeploymentType.Pipeline : DeploymentType.Model);
        var name = Fields.Name(m, ResourceNames.Deployment);
        var endpointName = m.String("endpoint_name");
        if (endpointName is not null && ResourceNames.Endpoint(endpointName) is { } problem)
        {
            m.Error("endpoint_name", problem);
        }

        BatchDeploymentSpec spec = type == DeploymentType.Model ? ReadModel(m, name) : ReadPipeline(m, name);
        spec = spec with { EndpointName = endpointName, Description = m.String("description"), Tags = Fields.Tags(m) };
        m.Complete();
        return spec;
    }

    private static ModelBatchDeploymentSpec ReadModel(MappingReader m, string name)
    {
        foreach (var key in new[] { "component", "job_definition" })
        {
            m.Forbid(key, "applies to pipeline deployments (type: pipeline) only");
        }

        var model = Fields.Binding(m, "model", ReferenceForms.Asset | ReferenceForms.Registry, (r, n) => ModelReader.Read(r, n), $"{name}-model");
        if (model is null && !m.Has("model"))
        {
            m.Missing("model", "a model deployment scores with a model: 'azureml:<name>:<version>', 'azureml:<name>@latest' or {path: ./model}");
        }

        CodeConfiguration? code = null;
        if (m.Mapping("code_configuration") is { } c)
        {
            var folder = Fields.Reference(c, "code", ReferenceForms.LocalPath | ReferenceForms.DatastorePath, PathKind.Folder);
            if (folder is null && !c.Has("code"))
            {
                c.Missing("code", "the folder that holds the scoring code");
            }

            var script = c.RequiredString("scoring_script", "the scoring script, or for .NET scorers the type that implements the scorer interface");
            c.Complete();
            code = new CodeConfiguration { Code = folder ?? new NamedReference("missing"), ScoringScript = script ?? string.Empty };
        }

        var resources = new DeploymentResources();
        if (m.Mapping("resources") is { } r)
        {
            resources = new DeploymentResources
            {
                InstanceCount = r.Int32("instance_count", 1, 1000) ?? 1,
                Properties = r.StringMap("properties") ?? ResourceSpec.Empty,
            };
            r.Complete();
        }

        var settings = m.Mapping("settings");
        var flat = ModelSettingKeys.Where(m.IsPresent).ToList();
        if (settings is not null && flat.Count > 0)
        {
            foreach (var key in flat)
            {
                m.Context.Error(m.LocateKey(key), $"'{key}' is a batch setting written at the top level (Azure ML's legacy form) while this file also has 'settings:'; move it under 'settings:'", key);
                m.Ignore(key);
            }
        }

        return new ModelBatchDeploymentSpec
        {
            Name = name,
            Model = model ?? AssetBinding<ModelSpec>.To(new NamedReference("missing")),
            CodeConfiguration = code,
            Environment = Fields.Binding(m, "environment", ReferenceForms.Asset | ReferenceForms.Registry, (r, n) => EnvironmentReader.Read(r, n), $"{name}-env"),
            Compute = Fields.Reference(m, "compute", ReferenceForms.Named),
            Resources = resources,
            Settings = ReadSettings(settings ?? m, settings is not null),
        };
    }

    /// <summary>Reads the batch settings from <c>settings:</c>, or from the top level for the legacy flat form.</summary>
    internal static BatchDeploymentSettings ReadSettings(MappingReader s, bool complete)
    {
        var retry = new RetrySettings();
        if (s.Mapping("retry_settings") is { } r)
        {
            retry = new RetrySettings
            {
                MaxRetries = r.Int32("max_retries", 0, 100) ?? retry.MaxRetries,
                Timeout = r.Int32("timeout", 1, 7 * 24 * 3600) ?? retry.Timeout,
            };
            r.Complete();
        }

        var outputAction = s.Enum<OutputAction>("output_action") ?? OutputAction.AppendRow;
        var outputFileName = s.String("output_file_name");
        if (outputFileName is not null)
        {
            if (outputFileName.Length == 0 || outputFileName.IndexOfAny(['/', '\\']) >= 0 || outputFileName is "." or "..")
            {
                s.Error("output_file_name", $"'{outputFileName}' must be a plain file name such as predictions.csv; the output folder is chosen with the job's output path");
            }
            else if (outputAction == OutputAction.SummaryOnly && outputFileName != BatchDeploymentSettings.DefaultOutputFileName)
            {
                // The default name is what the canonical JSON of every deployment carries, so it is no sign of a mistake.
                s.Warning("output_file_name", "is ignored with output_action: summary_only, which writes no output file");
            }
        }

        var variables = s.StringMap("environment_variables") ?? ResourceSpec.Empty;
        foreach (var key in variables.Keys.Where(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal)))
        {
            s.Error("environment_variables", $"'{key}' is not a valid environment variable name");
        }

        var settings = new BatchDeploymentSettings
        {
            MiniBatchSize = ReadMiniBatchSize(s),
            MaxConcurrencyPerInstance = s.Int32("max_concurrency_per_instance", 1, 1024) ?? 1,
            ErrorThreshold = s.Int32("error_threshold", -1) ?? -1,
            MiniBatchErrorThreshold = s.Int32("mini_batch_error_threshold", -1) ?? -1,
            RetrySettings = retry,
            LoggingLevel = s.Enum<LoggingLevel>("logging_level") ?? LoggingLevel.Info,
            OutputAction = outputAction,
            OutputFileName = outputFileName ?? BatchDeploymentSettings.DefaultOutputFileName,
            EnvironmentVariables = variables,
        };
        if (complete)
        {
            s.Complete();
        }

        return settings;
    }

    private static MiniBatchSize ReadMiniBatchSize(MappingReader s)
    {
        if (s.Get("mini_batch_size") is not YamlScalarNode { Value: { } text })
        {
            if (s.Has("mini_batch_size"))
            {
                s.Error("mini_batch_size", "expected a number of files, a size such as \"10MB\", or a number of rows such as \"5000 rows\"");
            }

            return MiniBatchSize.Default;
        }

        if (MiniBatchSize.TryParse(text, out var size, out var error))
        {
            return size;
        }

        s.Error("mini_batch_size", long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? $"{number} is out of range; expected a value from 1 to 1000000"
            : error!);
        return MiniBatchSize.Default;
    }

    private static PipelineBatchDeploymentSpec ReadPipeline(MappingReader m, string name)
    {
        foreach (var key in ModelOnlyKeys)
        {
            m.Forbid(key, key == "compute"
                ? "pipeline deployments choose compute with settings.default_compute (or per step)"
                : "applies to model deployments (type: model) only");
        }

        var component = Fields.Binding(m, "component", ReferenceForms.Asset | ReferenceForms.Registry | ReferenceForms.LocalPath, (r, n) => ComponentReader.Read(r, n), $"{name}-component", PathKind.File);
        var jobDefinition = Fields.Reference(m, "job_definition", ReferenceForms.Named | ReferenceForms.Asset);
        // Decided by presence, not by the parsed values: an invalid value is already reported, and an unrelated
        // error elsewhere must not hide a missing or doubled source.
        var hasComponent = m.Has("component");
        var hasJobDefinition = m.Has("job_definition");
        if (hasComponent == hasJobDefinition)
        {
            m.Context.Error(m.Node, hasComponent
                ? "give either 'component' or 'job_definition', not both"
                : "a pipeline deployment needs 'component' (a pipeline component) or 'job_definition' (a pipeline job)");
        }

        var settings = new PipelineDeploymentSettings();
        if (m.Mapping("settings") is { } s)
        {
            settings = new PipelineDeploymentSettings
            {
                ContinueOnStepFailure = s.Boolean("continue_on_step_failure") ?? false,
                DefaultCompute = s.String("default_compute")?.Trim(),
                DefaultDatastore = s.String("default_datastore"),
                ForceRerun = s.Boolean("force_rerun") ?? false,
            };
            s.Complete();
        }

        return new PipelineBatchDeploymentSpec { Name = name, Component = component, JobDefinition = jobDefinition, Settings = settings };
    }
}
