using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Resources;
using PalliativeToolkit.Infrastructure.Access;
using PalliativeToolkit.Infrastructure.Files;
using PalliativeToolkit.Infrastructure.Operations;
using PalliativeToolkit.Web.Features.Assessments;
using PalliativeToolkit.Web.Features.Common;

namespace PalliativeToolkit.Web.Features.Resources;

/// <summary>A resource as administrators list it.</summary>
public sealed record LibraryEntry(Guid Id, Guid Version, string Title, string Publisher, ResourceKind Kind, ResourceAudience Audience, string Summary, string Url,
    IReadOnlyList<string> ElementCodes, IReadOnlyList<string> Tags, ResourceOrigin Origin, DateTime? RetiredAt, string? FileName = null);

/// <summary>Adds a resource (no <see cref="Id"/>) or changes one (its id and the version the page showed).</summary>
public sealed class SaveLibraryResourceCommand
{
    public Guid? Id { get; set; }
    public Guid ExpectedVersion { get; set; }
    public string Title { get; set; } = string.Empty;
    public string Publisher { get; set; } = string.Empty;
    public ResourceKind Kind { get; set; } = ResourceKind.Template;
    public ResourceAudience Audience { get; set; } = ResourceAudience.Both;
    public string Summary { get; set; } = string.Empty;
    public string Url { get; set; } = string.Empty;
    public IReadOnlyCollection<string> ElementCodes { get; set; } = [];

    /// <summary>Comma-separated, as typed.</summary>
    public string Tags { get; set; } = string.Empty;

    internal IReadOnlyList<string> TagList() => Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

public sealed class SaveLibraryResourceValidator : AbstractValidator<SaveLibraryResourceCommand>
{
    public const int MaxTags = 10;
    public const int TagLength = 40;

    public SaveLibraryResourceValidator()
    {
        RuleFor(c => c.Title).NotEmpty().WithMessage("Enter the resource's title.")
            .MaximumLength(Limits.Title).WithMessage($"The title can be at most {Limits.Title} characters.").PlainLine();
        RuleFor(c => c.Publisher).MaximumLength(Limits.Name).WithMessage($"The publisher can be at most {Limits.Name} characters.").PlainLine();
        RuleFor(c => c.Kind).IsInEnum().WithMessage("Choose the kind of resource.");
        RuleFor(c => c.Audience).IsInEnum().WithMessage("Choose who the resource is for.");
        RuleFor(c => c.Summary).NotEmpty().WithMessage("Write a short summary: what it is and when it helps.")
            .MaximumLength(Limits.LongText).WithMessage($"The summary can be at most {Limits.LongText} characters.").PlainText();
        // A link, unless the resource holds an uploaded file (the service checks that one is given or kept).
        RuleFor(c => c.Url).Must(url => SaveElementValidator.LinkProblem(url) is null)
            .When(c => !string.IsNullOrWhiteSpace(c.Url))
            .WithMessage(c => SaveElementValidator.LinkProblem(c.Url) ?? string.Empty);
        RuleFor(c => c.TagList()).Must(t => t.Count <= MaxTags).WithMessage($"Give at most {MaxTags} tags.")
            .Must(t => t.All(tag => tag.Length <= TagLength)).WithMessage($"A tag can be at most {TagLength} characters.")
            .OverridePropertyName(nameof(SaveLibraryResourceCommand.Tags));
        RuleFor(c => c.Tags).PlainLine();
    }
}

/// <summary>Administrators add, edit, retire and restore the library's resources. A retired resource stays readable.</summary>
public sealed class LibraryAdministration(OperationRunner operations, FrameworkCatalog catalog, IFileStore files)
{
    public const string FileField = "File";
    private const string OnlyAdministrators = "Only administrators change the resource library.";
    private const string NeedsLinkOrFile = "Enter a full web address starting with https:// or http://, or upload a file.";
    private readonly SaveLibraryResourceValidator _validator = new();

    public Task<Outcome<(IReadOnlyList<LibraryEntry> Entries, IReadOnlyList<string> ElementCodes)>> ListAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default) =>
        operations.RunAsync<(IReadOnlyList<LibraryEntry>, IReadOnlyList<string>)>(principal, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            var entries = await op.Db.LibraryResources.AsNoTracking().OrderBy(r => r.Title)
                .Select(r => new LibraryEntry(r.Id, r.Version, r.Title, r.Publisher, r.Kind, r.Audience, r.Summary, r.Url, r.ElementCodes, r.Tags, r.Origin, r.RetiredAt, r.FileName))
                .ToListAsync(op.Cancellation);
            return (entries, await ElementCodesAsync(op));
        }, cancellationToken);

    private async Task<IReadOnlyList<string>> ElementCodesAsync(Operation op)
    {
        var current = await op.Db.FrameworkVersions.AsNoTracking().Where(f => f.IsCurrent).Select(f => f.Id).SingleAsync(op.Cancellation);
        return (await catalog.GetAsync(op, current)).Sections.SelectMany(s => s.Elements).Select(e => e.Code).ToList();
    }

    /// <summary>
    /// Adds or changes a resource. With <paramref name="file"/>, the uploaded file is checked by its bytes and attached
    /// (replacing the one it held); a resource needs a link or a file.
    /// </summary>
    public async Task<Outcome<Guid>> SaveAsync(ClaimsPrincipal principal, SaveLibraryResourceCommand command, Stream? file = null, string? fileName = null, CancellationToken cancellationToken = default)
    {
        ResourceFile? stored = null;
        string? replaced = null;
        Outcome<Guid> outcome;
        try
        {
            outcome = await SaveOnceAsync();
        }
        catch
        {
            // A save that threw (the database gone, say) keeps no file it had stored.
            if (stored is not null)
            {
                await files.DeleteAsync(stored.Key);
            }

            throw;
        }

        // A file kept for a save that did not happen goes; one that was replaced goes too.
        if (!outcome.Succeeded && stored is not null)
        {
            await files.DeleteAsync(stored.Key);
        }
        else if (outcome.Succeeded && replaced is not null)
        {
            await files.DeleteAsync(replaced);
        }

        return outcome;

        Task<Outcome<Guid>> SaveOnceAsync() => operations.RunAsync<SaveLibraryResourceCommand, Guid>(principal, command, _validator, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            var known = await ElementCodesAsync(op);
            var unknown = command.ElementCodes.Where(c => !known.Contains(c)).ToList();
            if (unknown.Count > 0)
            {
                return Failure.FieldError(nameof(SaveLibraryResourceCommand.ElementCodes), $"Choose elements of the guide ({string.Join(", ", unknown)} is not one).");
            }

            if (file is not null)
            {
                try
                {
                    var kept = await files.SaveAsync(file, op.Cancellation);
                    stored = new ResourceFile(kept.Key, SafeFileName.For(fileName, kept.Kind), kept.Kind.ToString(), kept.Kind.ContentType(), kept.Length);
                }
                catch (FileRefusedException ex)
                {
                    return Failure.FieldError(FileField, ex.Message);
                }
            }

            if (command.Id is { } id)
            {
                var resource = await op.Db.LibraryResources.SingleOrDefaultAsync(r => r.Id == id, op.Cancellation);
                if (resource is null)
                {
                    return Failure.Missing("That resource does not exist.");
                }

                op.ExpectVersion(resource, command.ExpectedVersion);
                if (stored is null && resource.FileKey is null && string.IsNullOrWhiteSpace(command.Url))
                {
                    return Failure.FieldError(nameof(SaveLibraryResourceCommand.Url), NeedsLinkOrFile);
                }

                replaced = stored is null ? null : resource.AttachFile(stored);
                resource.Update(command.Title, command.Publisher, command.Kind, command.Audience, command.Summary, command.Url, command.ElementCodes, command.TagList());
                await op.SaveAsync();
                return resource.Id;
            }

            if (stored is null && string.IsNullOrWhiteSpace(command.Url))
            {
                return Failure.FieldError(nameof(SaveLibraryResourceCommand.Url), NeedsLinkOrFile);
            }

            var added = new LibraryResource($"editors-{Guid.NewGuid():N}", command.Title, command.Publisher, command.Kind, command.Audience, command.Summary,
                command.Url, command.ElementCodes, command.TagList(), ResourceOrigin.Editors, stored);
            op.Db.LibraryResources.Add(added);
            await op.SaveAsync();
            return added.Id;
        }, cancellationToken);
    }

    /// <summary>Retires a resource (kept, marked retired, left out of searches), or restores it.</summary>
    public Task<Outcome<Done>> SetRetiredAsync(ClaimsPrincipal principal, Guid id, Guid expectedVersion, bool retired, CancellationToken cancellationToken = default) =>
        operations.RunAsync<Done>(principal, async op =>
        {
            op.Demand(Permission.Administer, OnlyAdministrators);
            var resource = await op.Db.LibraryResources.SingleOrDefaultAsync(r => r.Id == id, op.Cancellation);
            if (resource is null)
            {
                return Failure.Missing("That resource does not exist.");
            }

            op.ExpectVersion(resource, expectedVersion);
            if (retired)
            {
                resource.Retire(op.Now, op.Viewer.UserId);
            }
            else
            {
                resource.Restore();
            }

            await op.SaveAsync();
            return Done.Value;
        }, cancellationToken);
}
