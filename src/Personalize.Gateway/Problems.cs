namespace Personalize.Gateway;

/// <summary>problem+json answers that are not produced by a route handler (auth challenges).</summary>
public static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();

    /// <summary>400 with <c>errors</c> naming each bad field.</summary>
    public static IResult Validation(IEnumerable<KeyValuePair<string, string>> errors) =>
        TypedResults.ValidationProblem(errors.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Select(e => e.Value).ToArray()));

    public static IResult Validation(string field, string message) => Validation([new(field, message)]);

    public static IResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);
}
