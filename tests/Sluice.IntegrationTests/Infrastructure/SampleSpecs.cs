using System.Text.Json.Nodes;

namespace Sluice.IntegrationTests.Infrastructure;

/// <summary>Small resource files as a user would write them, in Azure ML's YAML, for the resources tests.</summary>
public static class SampleSpecs
{
    /// <summary>A component command line; kept apart from the YAML templates because its <c>${{…}}</c> bindings are braces.</summary>
    public const string ComponentCommand = "python score.py --data ${{inputs.data}} --out ${{outputs.scores}}";

    public static string Compute(TempFolder folder, string name, int min = 0, int max = 2, string tier = "dedicated") =>
        folder.Write($"{name}.compute.yml", $"""
            $schema: https://azuremlschemas.azureedge.net/latest/amlCompute.schema.json
            name: {name}
            type: amlcompute
            size: STANDARD_DS3_v2
            min_instances: {min}
            max_instances: {max}
            idle_time_before_scale_down: 300
            tier: {tier}
            """);

    /// <summary>An environment with an image and a conda file beside it.</summary>
    public static string Environment(TempFolder folder, string name)
    {
        folder.Write("conda.yml", """
            name: scoring
            channels:
              - conda-forge
            dependencies:
              - python=3.11
              - pip:
                  - onnxruntime
            """);
        return folder.Write($"{name}.environment.yml", $"""
            $schema: https://azuremlschemas.azureedge.net/latest/environment.schema.json
            name: {name}
            description: scoring environment
            image: mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04:latest
            conda_file: conda.yml
            """);
    }

    /// <summary>A command component whose code is a local folder (uploaded by the CLI).</summary>
    public static string CommandComponent(TempFolder folder, string name)
    {
        folder.Write("src/score.py", "print('scoring')\n");
        return folder.Write($"{name}.component.yml", $"""
            $schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json
            name: {name}
            type: command
            display_name: Score
            description: scores a folder
            code: ./src
            command: {ComponentCommand}
            environment:
              image: python:3.11-slim
            inputs:
              data:
                type: uri_folder
            outputs:
              scores:
                type: uri_folder
            """);
    }

    public static string LocalDatastore(TempFolder folder, string name, string path) =>
        folder.Write($"{name}.datastore.yml", $"""
            name: {name}
            type: local
            description: a local folder
            path: {path}
            """);

    public static string BlobDatastore(TempFolder folder, string name, string accountKey) =>
        folder.Write($"{name}.datastore.yml", $"""
            $schema: https://azuremlschemas.azureedge.net/latest/azureBlob.schema.json
            name: {name}
            type: azure_blob
            description: a blob container
            account_name: sluicetests
            container_name: scoring
            credentials:
              account_key: {accountKey}
            """);

    /// <summary>A folder of one CSV file whose content is unique to <paramref name="marker"/>, so uploads of it differ.</summary>
    public static string DataFolder(TempFolder folder, string relative, string marker)
    {
        folder.Write($"{relative}/part-0.csv", $"a,b\n1,{marker}\n");
        return folder.Combine(relative);
    }

    /// <summary>The value at a dotted path of a resource's JSON, as text (null when absent).</summary>
    public static string? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        }

        return node switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            _ => node.ToJsonString(),
        };
    }

    /// <summary>The names in a JSON list printed by <c>list -o json</c>.</summary>
    public static List<string> Names(CliResult list) => [.. list.Json().AsArray().Select(item => (string)item!["name"]!)];
}
