using FluentValidation.Results;

namespace PalliativeToolkit.Infrastructure.Operations;

/// <summary>
/// Why an operation did not do what was asked: a closed set of four. Pages render each the same way everywhere.
/// </summary>
public abstract record Failure
{
    private Failure(string message) => Message = message;

    /// <summary>What the user reads.</summary>
    public string Message { get; }

    /// <summary>Input that breaks a rule, with a message for each field (shown next to the field).</summary>
    public sealed record Invalid : Failure
    {
        public Invalid(IReadOnlyDictionary<string, string[]> errors)
            : base("Please correct the highlighted fields.") => Errors = errors;

        public IReadOnlyDictionary<string, string[]> Errors { get; }

        public string? ErrorFor(string field) => Errors.TryGetValue(field, out var errors) ? string.Join(" ", errors) : null;

        /// <summary>These errors without those of <paramref name="fields"/> (a field that says its own).</summary>
        public Invalid Without(params string[] fields) => new(Errors.Where(e => !fields.Contains(e.Key)).ToDictionary());

        /// <summary>These errors with <paramref name="message"/> as <paramref name="field"/>'s only one.</summary>
        public Invalid With(string field, string message) => new(new Dictionary<string, string[]>(Errors) { [field] = [message] });
    }

    /// <summary>Not allowed: a rule of the program or a permission refused it. <see cref="Details"/> lists what to fix.</summary>
    public sealed record Refused : Failure
    {
        public Refused(string message, IReadOnlyList<string>? details = null)
            : base(message) => Details = details ?? [];

        public IReadOnlyList<string> Details { get; }
    }

    /// <summary>It does not exist, or the user may not see it (the two are never told apart).</summary>
    public sealed record NotFound : Failure
    {
        public NotFound(string message)
            : base(message)
        {
        }
    }

    /// <summary>Someone else changed it since the user's page was loaded; nothing was saved.</summary>
    public sealed record Conflict : Failure
    {
        public Conflict(string message)
            : base(message)
        {
        }
    }

    public static Invalid FieldErrors(ValidationResult validation)
    {
        ArgumentNullException.ThrowIfNull(validation);
        return new Invalid(validation.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()));
    }

    /// <summary>A refusal found by the service rather than the validator (a duplicate name, say), shown next to its field.</summary>
    public static Invalid FieldError(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });

    public static Refused Refuse(string message, IReadOnlyList<string>? details = null) => new(message, details);

    public static NotFound Missing(string what = "That item does not exist, or you do not have access to it.") => new(what);

    public static Conflict Stale() =>
        new("Someone else changed this while you were editing. Your change was not saved. Reload to see the latest version, then make your change again.");
}

/// <summary>The result of an operation: its value when it succeeded, or one <see cref="Failure"/>.</summary>
public sealed class Outcome<T>
{
    private readonly T? _value;

    internal Outcome(T value) => _value = value;

    internal Outcome(Failure failure) => Failure = failure ?? throw new ArgumentNullException(nameof(failure));

    public Failure? Failure { get; }

    public bool Succeeded => Failure is null;

    /// <summary>What the user reads about a failure; null on success.</summary>
    public string? Message => Failure?.Message;

    /// <summary>The value of a successful outcome.</summary>
    public T Value => Succeeded ? _value! : throw new InvalidOperationException($"The operation did not succeed: {Failure!.Message}");

#pragma warning disable CA2225 // Outcome.Ok and Outcome.Failed are the named alternates.
    public static implicit operator Outcome<T>(T value) => new(value);

    public static implicit operator Outcome<T>(Failure failure) => new(failure);
#pragma warning restore CA2225

    /// <summary>The message of a field error, shown next to that field.</summary>
    public string? ErrorFor(string field) => (Failure as Failure.Invalid)?.ErrorFor(field);

    public TResult Match<TResult>(Func<T, TResult> ok, Func<Failure, TResult> failed)
    {
        ArgumentNullException.ThrowIfNull(ok);
        ArgumentNullException.ThrowIfNull(failed);
        return Succeeded ? ok(_value!) : failed(Failure!);
    }
}

/// <summary>Named ways to make an outcome, where a conversion cannot be used (an interface-typed value, say).</summary>
public static class Outcome
{
    public static Outcome<T> Ok<T>(T value) => new(value);

    public static Outcome<T> Failed<T>(Failure failure) => new(failure);

    public static Outcome<Done> Done() => new(Operations.Done.Value);
}

/// <summary>The value of an operation that has nothing to return.</summary>
public readonly record struct Done
{
    public static Done Value => default;
}
