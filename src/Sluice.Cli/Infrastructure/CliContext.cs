using System.CommandLine;
using Spectre.Console;

namespace Sluice.Cli.Infrastructure;

/// <summary>
/// What commands write to and talk through. Tests build one over string writers and call the CLI in-process, against a
/// real server over real HTTP.
/// </summary>
public sealed class CliContext(IAnsiConsole console, TextWriter output, TextWriter error) : IDisposable
{
    private readonly SocketsHttpHandler _handler = new() { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(10) };

    /// <summary>Tables, progress bars and status lines.</summary>
    public IAnsiConsole Console { get; } = console;

    /// <summary>Machine-readable output (JSON), nothing else, so it can be piped.</summary>
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public static CliContext ForProcess()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });
        if (System.Console.IsOutputRedirected)
        {
            // Piped output has no terminal width; do not wrap tables and messages at 80 columns.
            console.Profile.Width = 240;
        }

        return new CliContext(console, System.Console.Out, System.Console.Error);
    }

    public SluiceClient Client(ParseResult parse)
    {
        var server = parse.GetValue(GlobalOptions.Server)!;
        if (!Uri.TryCreate(server, UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--server '{server}' is not an http(s) URL.", ExitCodes.Invalid, hint: "e.g. --server http://127.0.0.1:5080");
        }

        var http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(30) };
        return new SluiceClient(http, parse.GetValue(GlobalOptions.Workspace)!);
    }

    /// <summary>Whether the console is a terminal a person watches (progress bars) rather than a pipe or a test.</summary>
    public bool IsInteractive => Console.Profile.Capabilities.Interactive;

    /// <summary>A status line for humans, on the console (never mixed into JSON output).</summary>
    public void Info(string markup) => Console.MarkupLine(markup);

    public void Dispose() => _handler.Dispose();
}
