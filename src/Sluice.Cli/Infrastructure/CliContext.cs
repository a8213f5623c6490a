using System.CommandLine;
using Spectre.Console;

namespace Sluice.Cli.Infrastructure;

/// <summary>
/// What commands write to and talk through. Tests build one over string writers and call the CLI in-process, against a
/// real server over real HTTP.
/// </summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error, IAnsiConsole? status = null) : IDisposable
{
    private readonly SocketsHttpHandler _handler = new() { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>Results for people: tables and summaries (standard output).</summary>
    public IAnsiConsole Console { get; } = console;

    /// <summary>Progress bars and status lines (standard error), so piped output holds only results.</summary>
    public IAnsiConsole Status { get; } = status ?? console;

    /// <summary>Machine-readable output (JSON), nothing else, so it can be piped.</summary>
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public static CliContext ForProcess()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        // Progress bars belong to standard error: they show whenever it is a terminal, even when the results on
        // standard output are piped (sluice … | jq).
        var status = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Error),
            Interactive = System.Console.IsErrorRedirected ? InteractionSupport.No : InteractionSupport.Yes,
        });

        // Piped output has no terminal width; do not wrap tables and messages at 80 columns.
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = 240;
        }

        if (System.Console.IsErrorRedirected)
        {
            status.Profile.Width = 240;
        }

        return new CliContext(console, System.Console.Out, System.Console.Error, status);
    }

    public SluiceClient Client(ParseResult parse) => Client(parse.GetValue(GlobalOptions.Server)!, parse.GetValue(GlobalOptions.Workspace)!);

    public SluiceClient Client(string server, string workspace)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--server '{server}' is not an http(s) URL.", ExitCodes.Invalid, hint: "e.g. --server http://127.0.0.1:5080");
        }

        var http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(30) };
        return new SluiceClient(http, workspace);
    }

    /// <summary>Whether the console is a terminal a person watches (progress bars) rather than a pipe or a test.</summary>
    public bool IsInteractive => Status.Profile.Capabilities.Interactive;

    /// <summary>A status line for humans, on standard error (never mixed into JSON output).</summary>
    public void Info(string markup) => Status.MarkupLine(markup);

    public void Dispose() => _handler.Dispose();
}
