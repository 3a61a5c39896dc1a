namespace PalliativeToolkit.Web.Features.Common;

/// <summary>The outcome of a command: success, a clear refusal with details, field errors, or a concurrency conflict.</summary>
public sealed record OperationResult
{
    public bool Succeeded { get; init; }
    public string? Message { get; init; }
    public IReadOnlyList<string> Details { get; init; } = [];
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; init; } = new Dictionary<string, string[]>();
    public bool IsConflict { get; init; }
    public bool IsNotFound { get; init; }
    public Guid? Id { get; init; }
    public Guid? Version { get; init; }

    public static OperationResult Ok(Guid? id = null, Guid? version = null) => new() { Succeeded = true, Id = id, Version = version };

    public static OperationResult Refused(string message, IReadOnlyList<string>? details = null) =>
        new() { Message = message, Details = details ?? [] };

    public static OperationResult NotFound() =>
        new() { IsNotFound = true, Message = "That assessment does not exist or you do not have access to it." };

    public static OperationResult Conflict() => new()
    {
        IsConflict = true,
        Message = "Someone else changed this while you were editing. Your change was not saved. Reload to see the latest version, then make your change again.",
    };

    public static OperationResult Invalid(FluentValidation.Results.ValidationResult validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        return new()
        {
            Message = "Please correct the highlighted fields.",
            FieldErrors = validation.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()),
        };
    }

    /// <summary>A refusal found by the service rather than the validator (a duplicate name, say), shown next to its field.</summary>
    public static OperationResult FieldError(string field, string message) => new()
    {
        Message = "Please correct the highlighted fields.",
        FieldErrors = new Dictionary<string, string[]> { [field] = [message] },
    };

    public string? ErrorFor(string field) => FieldErrors.TryGetValue(field, out var errors) ? string.Join(" ", errors) : null;
}
