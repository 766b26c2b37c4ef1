using System.Text.Json;

namespace Personalize.Gateway.Apis;

/// <summary>Reads a JSON body so malformed input gets the same problem+json shape as invalid values.</summary>
public static class JsonBody
{
    public const long MaxBytes = 1024 * 1024;

    public static async Task<(JsonElement Body, IResult? Error)> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
            return (default, Problems.Validation("", $"the body must be at most {MaxBytes} bytes"));
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, Problems.Validation("", "the body is not valid JSON: " + ex.Message));
        }
    }

    public static (T? Value, IResult? Error) Bind<T>(JsonElement body, JsonSerializerOptions options) where T : class
    {
        try
        {
            return (body.Deserialize<T>(options), null);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path[2..] : "";
            return (null, Problems.Validation(field, "has the wrong type or shape"));
        }
    }
}
