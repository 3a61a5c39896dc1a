using FluentValidation;

namespace PalliativeToolkit.Web.Features.Common;

/// <summary>
/// A date a person enters (a due date, a contract's dates, when a status took effect, a survey's dates) lies between the
/// years 2000 and 2100. A browser's date field accepts any year from 1 to 9999; such a date is a slip of the keyboard,
/// and one at either end of the calendar breaks the work done with it (a calendar file's next day past 9999-12-31).
/// </summary>
public static class DateRules
{
    public const int EarliestYear = 2000;
    public const int LatestYear = 2100;

    public static readonly string Message = $"Choose a date between the years {EarliestYear} and {LatestYear}.";

    public static bool IsPlausible(int year) => year is >= EarliestYear and <= LatestYear;

    public static IRuleBuilderOptions<T, DateTime?> PlausibleDate<T>(this IRuleBuilder<T, DateTime?> rule) =>
        rule.Must(d => d is null || IsPlausible(d.Value.Year)).WithMessage(Message);

    public static IRuleBuilderOptions<T, DateOnly?> PlausibleDate<T>(this IRuleBuilder<T, DateOnly?> rule) =>
        rule.Must(d => d is null || IsPlausible(d.Value.Year)).WithMessage(Message);
}
