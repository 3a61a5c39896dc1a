namespace PalliativeToolkit.Domain.Common;

/// <summary>A rule of the guide or of the program was broken. The message is written for the user.</summary>
public class DomainException : Exception
{
    public DomainException(string message) : base(message) { }

    public DomainException(string message, IReadOnlyList<string> details) : base(message) => Details = details;

    public DomainException() { }

    public DomainException(string message, Exception innerException) : base(message, innerException) { }

    public IReadOnlyList<string> Details { get; } = [];
}
