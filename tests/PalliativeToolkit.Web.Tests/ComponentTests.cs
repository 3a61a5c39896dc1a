using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Web.Components.Shared;

namespace PalliativeToolkit.Web.Tests;

/// <summary>bUnit: small components render what the user needs to read, not only a colour.</summary>
public class ComponentTests : BunitContext
{
    public ComponentTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void The_county_map_names_every_county_with_its_status_in_text_not_only_in_colour()
    {
        var statuses = new Dictionary<string, Components.Shared.CountyMap.CountyStatus>
        {
            ["06097"] = new("served", "Served", "Golden Poppy"),
            ["06055"] = new("served", "Served", "Golden Poppy"),
        };

        var map = Render<Components.Shared.CountyMap>(p => p
            .Add(c => c.Title, "Counties served")
            .Add(c => c.Statuses, statuses)
            .Add(c => c.Otherwise, new Components.Shared.CountyMap.CountyStatus("none", "No plan")));

        var outlines = map.FindAll("path.county");
        Assert.Equal(58, outlines.Count);
        Assert.Equal("Sonoma: Served", map.Find("path[data-county='Sonoma'] title").TextContent);
        Assert.Equal("Humboldt: No plan", map.Find("path[data-county='Humboldt'] title").TextContent);
        Assert.Contains("county-served", map.Find("path[data-county='Napa']").ClassList);
        Assert.Equal(58, map.FindAll("tr[data-county-row]").Count);
        Assert.Equal("Served — Golden Poppy", map.Find("tr[data-county-row='Sonoma'] td:last-child").TextContent);
        Assert.Contains("Served (2)", map.Find(".county-legend").TextContent);
        Assert.Contains("No plan (56)", map.Find(".county-legend").TextContent);
    }

    [Theory]
    [InlineData(Level.NotStarted, "Not started")]
    [InlineData(Level.BelowMinimum, "Not yet at minimum")]
    [InlineData(Level.MeetsMinimum, "Meets minimum")]
    public void A_level_shows_its_name_as_well_as_its_colour(Level level, string text)
    {
        var chip = Render<LevelChip>(p => p.Add(c => c.Level, level));

        Assert.Equal(text, chip.Find("[data-testid=level]").TextContent.Trim());
    }

    [Fact]
    public void Meets_enhancement_shows_how_many_enhancements_are_adopted()
    {
        var chip = Render<LevelChip>(p => p.Add(c => c.Level, Level.MeetsEnhancement).Add(c => c.Adopted, 2).Add(c => c.Offered, 5));

        Assert.Contains("Meets enhancement", chip.Markup);
        Assert.Contains("(2 of 5)", chip.Find("[data-testid=level]").TextContent);
    }

    [Fact]
    public void Progress_shows_assessed_count_and_rounded_shares()
    {
        var summary = Render<ProgressSummary>(p => p.Add(c => c.Progress, new Progress(3, 2, 1, 1)).Add(c => c.TestId, "p"));

        var text = summary.Find("[data-testid=p]").TextContent;
        Assert.Contains("2 of 3 assessed", text.Replace("\n", " ").Replace("  ", " "));
        Assert.Contains("33% at minimum or above", text);
        Assert.Contains("33% at enhancement", text);
    }

    [Fact]
    public void A_whole_number_field_keeps_text_that_is_not_a_number_as_it_is_and_leaves_the_value_as_it_was()
    {
        var sent = new List<int?>();
        var field = Render<WholeNumberField>(p => p
            .Add(c => c.Label, "Monthly referral capacity")
            .Add(c => c.InputId, "capacity")
            .Add(c => c.UnreadableText, "Enter a whole number.")
            .Add(c => c.Value, 8)
            .Add(c => c.ValueChanged, value => sent.Add(value)));
        Assert.Equal("8", field.Find("#capacity").GetAttribute("value"));

        // Pasted text: kept, unread, said so under the field, and the 8 not replaced, even as the form renders it again.
        field.Find("#capacity").Input("about ten");
        field.Render(p => p.Add(c => c.Value, 8));
        Assert.True(field.Instance.Unreadable);
        Assert.Empty(sent);
        Assert.Equal("about ten", field.Find("#capacity").GetAttribute("value"));
        Assert.Contains("Enter a whole number.", field.Markup, StringComparison.Ordinal);

        // A form refuses to save it, with its other fields' errors; the field says its own.
        var others = new FluentValidation.Results.ValidationResult(new FluentValidation.Results.ValidationFailure[] { new("Title", "Enter the title."), new("Capacity", "Out of range.") });
        var refusal = field.Instance.Refusal("Capacity", others);
        Assert.NotNull(refusal);
        Assert.Equal(["Title"], refusal.Errors.Keys);

        // A decimal comma is no separator of thousands: "1,5" is not read as fifteen.
        field.Find("#capacity").Input("1,5");
        Assert.True(field.Instance.Unreadable);
        Assert.Empty(sent);

        // A number is sent as it is typed, and the text stays as typed when the form gives it back; nothing sends no value;
        // a number too big for the field is sent as the largest there is, for the form's range message.
        field.Find("#capacity").Input(" 1200 ");
        field.Render(p => p.Add(c => c.Value, 1200));
        Assert.Equal(" 1200 ", field.Find("#capacity").GetAttribute("value"));
        field.Find("#capacity").Input(" ");
        field.Find("#capacity").Input("99999999999");
        Assert.False(field.Instance.Unreadable);
        Assert.Equal([1200, null, int.MaxValue], sent);
        Assert.Null(field.Instance.Refusal("Capacity", others));

        // A value set from outside replaces the text.
        field.Find("#capacity").Input("ten");
        field.Render(p => p.Add(c => c.Value, 15));
        Assert.Equal("15", field.Find("#capacity").GetAttribute("value"));
        Assert.False(field.Instance.Unreadable);
    }

    [Theory]
    [InlineData("", true, null, false)]
    [InlineData(" 42 ", true, 42, false)]
    [InlineData("-3", true, -3, false)]
    [InlineData("1,200", true, 1200, false)]
    [InlineData("12,345,678", true, 12345678, false)]
    [InlineData("1,5", false, null, false)]
    [InlineData("1234,567", false, null, false)]
    [InlineData("1,20", false, null, false)]
    [InlineData("1.5", false, null, false)]
    [InlineData("1e3", false, null, false)]
    [InlineData("about ten", false, null, false)]
    [InlineData("99999999999", true, int.MaxValue, true)]
    [InlineData("-99999999999", true, int.MinValue, true)]
    public void A_whole_number_is_read_one_way_everywhere(string text, bool ok, int? number, bool overflow) =>
        Assert.Equal((ok, number, overflow), Features.Common.WholeNumbers.Read(text));
}
