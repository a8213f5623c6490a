using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Sluice.Server.Api;

/// <summary>The usual answers of a create-or-update: 201 with a Location for new resources, 200 otherwise.</summary>
internal static class Respond
{
    public static Results<Created<JsonObject>, Ok<JsonObject>> Saved(JsonObject view, bool created) =>
        created ? TypedResults.Created((string?)view["id"], view) : TypedResults.Ok(view);

    public static Dictionary<string, string> Implied(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
