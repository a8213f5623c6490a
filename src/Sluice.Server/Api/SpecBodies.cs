using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;
using Sluice.Core.Diagnostics;
using Sluice.Core.Specs;
using Sluice.Core.Yaml;

namespace Sluice.Server.Api;

/// <summary>
/// Reads a spec from a request body, in JSON or YAML, through the same validating reader as <c>sluice validate</c>, so
/// a request gets the same line-and-column messages as a file.
/// </summary>
public static class SpecBodies
{
    /// <summary>Specs are small; anything larger is a mistake (data and models travel as uploaded files).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The media types a spec body may have; <see cref="ReadTextAsync"/> refuses others with a 415 that lists these.</summary>
    public static readonly IReadOnlyList<string> AcceptedMediaTypes = ["application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"];

    /// <summary>
    /// Documents a route's body in the OpenAPI description. Unlike <c>Accepts</c>, the media types do not become a routing
    /// constraint: routing would refuse any other type with a bare 415 (and refuse YAML types the reader accepts) before
    /// <see cref="ReadTextAsync"/> could say which types to send.
    /// </summary>
    public static RouteHandlerBuilder AcceptsBody<T>(this RouteHandlerBuilder builder, params IReadOnlyList<string> mediaTypes) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = mediaTypes.ToDictionary(m => m, _ => new OpenApiMediaType { Schema = schema }, StringComparer.Ordinal),
            };
        });

    /// <summary>Documents a spec body: JSON or YAML.</summary>
    public static RouteHandlerBuilder AcceptsSpec<T>(this RouteHandlerBuilder builder) => builder.AcceptsBody<T>(AcceptedMediaTypes);

    public static async Task<T> ReadAsync<T>(HttpRequest request, DocumentKind kind, IReadOnlyDictionary<string, string> implied, CancellationToken cancellationToken)
        where T : class
    {
        var text = await ReadTextAsync(request, MaxBytes, cancellationToken);
        if (IsJson(request))
        {
            // YAML would accept JSON's common mistakes (trailing commas, single quotes); a JSON body must be JSON.
            RequireWellFormedJson(text);
        }

        var result = SpecReader.Read(text, "request body", null, SpecReadOptions.Server, kind, implied: implied);
        return result.Require<T>();
    }

    /// <summary>Reads the body as UTF-8 text, refusing bodies over <paramref name="limit"/> bytes and media types that are not text.</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not null && !AcceptedMediaTypes.Contains(mediaType))
        {
            throw new BadHttpRequestException($"Content-Type '{mediaType}' is not accepted; send application/json or application/yaml.", StatusCodes.Status415UnsupportedMediaType);
        }

        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw TooLarge(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A body without Content-Length trips the server's own limit mid-read; answer as for a declared length.
            throw TooLarge(limit);
        }

        if (buffer.Length == 0)
        {
            throw SluiceException.Invalid("The request body is empty; send the resource as JSON or YAML.");
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (DecoderFallbackException)
        {
            throw SluiceException.Invalid("The request body is not valid UTF-8 text.");
        }
    }

    public static bool IsJson(HttpRequest request) =>
        request.ContentType?.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase) == true;

    public static void RequireWellFormedJson(string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw SluiceException.Invalid(
                $"The request body is not well-formed JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}): {ex.Message.Split(" LineNumber:")[0].TrimEnd('.', ' ')}.",
                "send valid JSON, or send YAML with Content-Type: application/yaml");
        }
    }

    private static BadHttpRequestException TooLarge(int limit) =>
        new($"The request body is larger than {limit / 1024} KiB, the limit for a spec; upload data and models as files and refer to them by path.", StatusCodes.Status413PayloadTooLarge);
}
