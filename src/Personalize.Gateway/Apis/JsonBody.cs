using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Personalize.Gateway.Apis;

/// <summary>Reads a JSON body so malformed input gets the same problem+json shape as invalid values.</summary>
public static class JsonBody
{
    public const long MaxBytes = 1024 * 1024;

    public static async Task<(JsonElement Body, IResult? Error)> ReadAsync(HttpRequest request)
    {
        var tooLarge = Problems.Validation("", $"the body must be at most {MaxBytes} bytes");
        if (request.ContentLength > MaxBytes) return (default, tooLarge);
        // A chunked body declares no length: the server enforces the same cap while it is read.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = MaxBytes;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException ex)
        {
            return (default, Problems.Validation("", "the body is not valid JSON: " + ex.Message));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (default, tooLarge);
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
