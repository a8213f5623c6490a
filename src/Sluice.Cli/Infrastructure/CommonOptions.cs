using System.CommandLine;

namespace Sluice.Cli.Infrastructure;

/// <summary>Options shared by many commands, spelled as in <c>az ml</c>.</summary>
public static class CommonOptions
{
    public static Option<string> Name(bool required = true, string what = "resource") => new("--name", "-n")
    {
        Description = $"The {what}'s name.",
        Required = required,
    };

    public static Option<string?> File(bool required = false) => new("--file", "-f")
    {
        Description = "A YAML file describing the resource (Azure ML's format).",
        Required = required,
    };

    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a value of the spec: --set key.path=value (repeatable).",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    public static Option<string?> Version() => new("--version", "-v") { Description = "The version." };

    public static Option<string> EndpointName() => new("--endpoint-name", "-e")
    {
        Description = "The batch endpoint's name.",
        Required = true,
    };

    public static Option<bool> Yes() => new("--yes", "-y") { Description = "Do not ask for confirmation." };
}
