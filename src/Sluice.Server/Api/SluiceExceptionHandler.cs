using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Sluice.Core.Diagnostics;

namespace Sluice.Server.Api;

/// <summary>
/// Turns every failure into RFC 9457 problem details. Domain errors keep their message and hint; bad input is never a
/// 500; unexpected errors are logged and answered without internals.
/// </summary>
internal sealed partial class SluiceExceptionHandler(IProblemDetailsService problems, ILogger<SluiceExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            SpecException spec => SpecProblem(spec),
            ProblemListException list => ListProblem(list),
            SluiceException domain => DomainProblem(domain),
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request",
                Detail = bad.Message,
            },
            JsonException json => new ProblemDetails
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "Malformed JSON",
                Detail = $"The request body is not valid JSON{(json.Path is null ? string.Empty : $" at {json.Path}")}{(json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : string.Empty)}: {FirstSentence(json.Message)}",
            },
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ => null,
        };

        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested)
            {
                return true;
            }

            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "Unexpected server error",
                Detail = "The server failed to handle the request; the server log has the details. This is a bug: please report it with the log.",
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status500InternalServerError;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails SpecProblem(SpecException spec)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid spec",
            Detail = spec.Message,
        };
        problem.Extensions["errors"] = spec.Diagnostics.Select(d => new
        {
            location = d.Location.ToString(),
            line = d.Location.Line > 0 ? d.Location.Line : (long?)null,
            column = d.Location.Column > 0 ? d.Location.Column : (long?)null,
            key = d.KeyPath,
            severity = d.Severity == Severity.Error ? "error" : "warning",
            message = d.Message,
        }).ToList();
        return problem;
    }

    private static ProblemDetails ListProblem(ProblemListException list)
    {
        var problem = DomainProblem(list);
        problem.Extensions["errors"] = list.Problems.Select(p => new
        {
            location = p.Key,
            key = p.Key,
            severity = "error",
            message = p.Message,
        }).ToList();
        return problem;
    }

    private static ProblemDetails DomainProblem(SluiceException domain)
    {
        var (status, title) = domain.Kind switch
        {
            SluiceErrorKind.NotFound => (StatusCodes.Status404NotFound, "Not found"),
            SluiceErrorKind.Conflict => (StatusCodes.Status409Conflict, "Conflict"),
            SluiceErrorKind.Unavailable => (StatusCodes.Status503ServiceUnavailable, "Unavailable"),
            SluiceErrorKind.Forbidden => (StatusCodes.Status403Forbidden, "Forbidden"),
            _ => (StatusCodes.Status400BadRequest, "Bad request"),
        };
        var problem = new ProblemDetails { Status = status, Title = domain.Title ?? title, Detail = domain.Message };
        if (domain.Hint is not null)
        {
            problem.Extensions["hint"] = domain.Hint;
        }

        return problem;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message.TrimEnd('.');
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "Unhandled error for {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
