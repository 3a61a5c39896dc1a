using FluentValidation;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Frameworks;

namespace PalliativeToolkit.Infrastructure.Seeding;

/// <summary>Rules a framework data file must satisfy before it is loaded.</summary>
public sealed class FrameworkFileValidator : AbstractValidator<FrameworkFile>
{
    private static readonly string[] RequiredSections = ["A", "B", "C", "D", "E"];

    public FrameworkFileValidator()
    {
        RuleFor(f => f.Version).NotEmpty().MaximumLength(Limits.Code);
        RuleFor(f => f.Title).NotEmpty().MaximumLength(Limits.Title);
        RuleFor(f => f.PublishedOn).NotNull();
        RuleFor(f => f.Sections)
            .Must(s => RequiredSections.All(code => s.Any(x => x.Code == code)))
            .WithMessage($"sections {string.Join(", ", RequiredSections)} must all be present");
        RuleFor(f => f.Sections)
            .Must(s => s.Select(x => x.Code).Distinct(StringComparer.Ordinal).Count() == s.Count)
            .WithMessage("section codes must be unique");
        RuleFor(f => f)
            .Must(f => DuplicateElementCodes(f).Count == 0)
            .WithName("elements")
            .WithMessage(f => $"element code(s) {string.Join(", ", DuplicateElementCodes(f))} appear more than once");
        RuleFor(f => f.Resources)
            .Must(r => r.Select(x => x.Key).Distinct(StringComparer.Ordinal).Count() == r.Count)
            .WithMessage("resource keys must be unique");
        RuleForEach(f => f.Resources).ChildRules(resource =>
        {
            resource.RuleFor(r => r.Key).NotEmpty().MaximumLength(Limits.Title);
            resource.RuleFor(r => r.Title).NotEmpty().MaximumLength(Limits.Title);
            resource.RuleFor(r => r.Url).NotEmpty().MaximumLength(Limits.Url)
                .Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
                .WithMessage(r => $"resource '{r.Key}' has an address that is not a web link");
            resource.RuleFor(r => r.Provenance).Must(BeProvenance).WithMessage(r => $"resource '{r.Key}' has an unknown provenance '{r.Provenance}' (use Guide or Provisional)");
        });
        RuleForEach(f => f.Sections).ChildRules(section =>
        {
            section.RuleFor(s => s.Code).NotEmpty().MaximumLength(Limits.Code);
            section.RuleFor(s => s.Title).NotEmpty().MaximumLength(Limits.Title);
            section.RuleFor(s => s.Audience).Must(a => Enum.TryParse<Audience>(a, out _))
                .WithMessage(s => $"section {s.Code} has an unknown audience '{s.Audience}' (use Plan, Provider or Joint)");
            section.RuleFor(s => s.Elements).NotEmpty().WithMessage(s => $"section {s.Code} has no elements");
        });
        RuleFor(f => f).Custom((file, context) =>
        {
            var resourceKeys = file.Resources.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var element in file.Sections.SelectMany(s => s.Elements))
            {
                var code = string.IsNullOrWhiteSpace(element.Code) ? "(no code)" : element.Code;
                void Fail(string problem) => context.AddFailure($"element {code}", $"element {code}: {problem}");

                if (string.IsNullOrWhiteSpace(element.Code) || element.Code.Length > Limits.Code)
                {
                    Fail("needs a code of at most 16 characters");
                }

                if (string.IsNullOrWhiteSpace(element.Title) || element.Title.Length > Limits.Title)
                {
                    Fail("needs a title of at most 200 characters");
                }

                if (!BeProvenance(element.Provenance))
                {
                    Fail($"unknown provenance '{element.Provenance}' (use Guide or Provisional)");
                }

                if (!element.Criteria.Any(c => c.Kind == nameof(CriterionKind.Minimum)))
                {
                    Fail("has no minimum criterion; every element needs at least one");
                }

                foreach (var criterion in element.Criteria)
                {
                    if (string.IsNullOrWhiteSpace(criterion.Code) || string.IsNullOrWhiteSpace(criterion.Text))
                    {
                        Fail("has a criterion without a code or text");
                    }
                    else if (criterion.Text.Length > Limits.LongText)
                    {
                        Fail($"criterion {criterion.Code} is longer than {Limits.LongText} characters");
                    }

                    if (!Enum.TryParse<CriterionKind>(criterion.Kind, out _))
                    {
                        Fail($"criterion {criterion.Code} has an unknown kind '{criterion.Kind}' (use Minimum or Enhancement)");
                    }

                    if (!BeProvenance(criterion.Provenance))
                    {
                        Fail($"criterion {criterion.Code} has an unknown provenance '{criterion.Provenance}'");
                    }
                }

                var duplicates = element.Criteria.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
                if (duplicates.Count > 0)
                {
                    Fail($"criterion code(s) {string.Join(", ", duplicates)} appear more than once");
                }

                foreach (var key in element.Resources.Where(k => !resourceKeys.Contains(k)))
                {
                    Fail($"links resource '{key}', which the file does not define");
                }
            }
        });
    }

    private static bool BeProvenance(string? value) => Enum.TryParse<Provenance>(value, out _);

    private static List<string> DuplicateElementCodes(FrameworkFile file) =>
        file.Sections.SelectMany(s => s.Elements)
            .Where(e => !string.IsNullOrWhiteSpace(e.Code))
            .GroupBy(e => e.Code!, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .ToList();
}
