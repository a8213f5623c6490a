using System.CommandLine;

namespace Sluice.Cli.Infrastructure;

public enum OutputFormat
{
    Json,
    Table,
}

/// <summary>Options every command accepts, as in <c>az ml</c>.</summary>
public static class GlobalOptions
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    public static readonly Option<string> Server = new("--server")
    {
        Description = "The Sluice server's URL (default: $SLUICE_SERVER, else " + DefaultServer + ").",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("SLUICE_SERVER") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultServer,
    };

    public static readonly Option<string> Workspace = new("--workspace", "-w")
    {
        Description = "The workspace (default: 'default', created on first use).",
        Recursive = true,
        DefaultValueFactory = _ => "default",
    };

    public static readonly Option<OutputFormat?> Output = new("--output", "-o")
    {
        Description = "Output format: json or table.",
        Recursive = true,
    };

    /// <summary>The chosen output format, or the command's default (JSON for one resource, a table for lists).</summary>
    public static OutputFormat FormatOf(ParseResult parse, OutputFormat fallback) => parse.GetValue(Output) ?? fallback;
}
