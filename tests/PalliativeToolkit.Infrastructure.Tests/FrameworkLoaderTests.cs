using PalliativeToolkit.Domain.Frameworks;
using PalliativeToolkit.Infrastructure.Seeding;

namespace PalliativeToolkit.Infrastructure.Tests;

public class FrameworkLoaderTests
{
    private const string Valid = """
        {
          "version": "t1", "title": "Test", "publishedOn": "2026-01-01",
          "sections": [
            { "code": "A", "title": "A", "audience": "Plan", "elements": [ { "code": "A1", "title": "T", "provenance": "Guide",
                "criteria": [ { "code": "A1-M1", "kind": "Minimum", "text": "x", "provenance": "Guide" } ], "resources": ["r1"] } ] },
            { "code": "B", "title": "B", "audience": "Provider", "elements": [ { "code": "B1", "title": "T", "provenance": "Provisional",
                "criteria": [ { "code": "B1-M1", "kind": "Minimum", "text": "x", "provenance": "Provisional" } ] } ] },
            { "code": "C", "title": "C", "audience": "Plan", "elements": [ { "code": "C1", "title": "T", "provenance": "Provisional",
                "criteria": [ { "code": "C1-M1", "kind": "Minimum", "text": "x", "provenance": "Provisional" } ] } ] },
            { "code": "D", "title": "D", "audience": "Plan", "elements": [ { "code": "D1", "title": "T", "provenance": "Guide",
                "criteria": [ { "code": "D1-M1", "kind": "Minimum", "text": "x", "provenance": "Guide" } ] } ] },
            { "code": "E", "title": "E", "audience": "Joint", "elements": [ { "code": "E1", "title": "T", "provenance": "Provisional",
                "criteria": [ { "code": "E1-M1", "kind": "Minimum", "text": "x", "provenance": "Provisional" } ] } ] }
          ],
          "resources": [ { "key": "r1", "title": "R", "format": "PDF", "publisher": "CHCF", "url": "https://www.chcf.org/", "provenance": "Guide" } ]
        }
        """;

    [Fact]
    public void The_shipped_framework_has_sections_A_to_E_with_audiences_and_minimum_criteria_everywhere()
    {
        var (framework, resources) = FrameworkLoader.LoadEmbedded();

        Assert.Equal(["A", "B", "C", "D", "E"], framework.Sections.Select(s => s.Code));
        Assert.Equal(Audience.Provider, framework.Sections.Single(s => s.Code == "B").Audience);
        Assert.Equal(Audience.Joint, framework.Sections.Single(s => s.Code == "E").Audience);
        Assert.All(framework.Elements, e => Assert.Contains(e.Criteria, c => c.Kind == CriterionKind.Minimum));
        Assert.Equal(framework.Elements.Count(), framework.Elements.Select(e => e.Code).Distinct().Count());
        Assert.Contains(framework.Elements, e => e.Code == "A1" && e.Provenance == Provenance.Guide);
        Assert.NotEmpty(resources);
    }

    [Fact]
    public void A_valid_file_loads()
    {
        var (framework, resources) = FrameworkLoader.Load("test.json", Valid);

        Assert.Equal("t1", framework.Label);
        Assert.Single(resources);
        Assert.Single(framework.Elements.First().Resources);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_the_line()
    {
        var error = Assert.Throws<InvalidFrameworkFileException>(() => FrameworkLoader.Load("broken.json", "{ \"version\": \n \"t1\", oops }"));

        Assert.Contains("broken.json", error.Message);
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public void An_element_without_a_minimum_criterion_is_named_in_the_error()
    {
        var json = Valid.Replace("\"code\": \"C1-M1\", \"kind\": \"Minimum\"", "\"code\": \"C1-E1\", \"kind\": \"Enhancement\"");

        var error = Assert.Throws<InvalidFrameworkFileException>(() => FrameworkLoader.Load("bad.json", json));

        Assert.Contains("bad.json", error.Message);
        Assert.Contains("element C1", error.Message);
        Assert.Contains("no minimum criterion", error.Message);
    }

    [Fact]
    public void A_missing_section_is_refused()
    {
        var json = Valid.Replace("\"code\": \"D\"", "\"code\": \"X\"");

        var error = Assert.Throws<InvalidFrameworkFileException>(() => FrameworkLoader.Load("bad.json", json));

        Assert.Contains("sections A, B, C, D, E must all be present", error.Message);
    }

    [Fact]
    public void Duplicate_element_codes_are_refused()
    {
        var json = Valid.Replace("\"code\": \"C1\"", "\"code\": \"B1\"");

        var error = Assert.Throws<InvalidFrameworkFileException>(() => FrameworkLoader.Load("bad.json", json));

        Assert.Contains("B1", error.Message);
        Assert.Contains("more than once", error.Message);
    }

    [Fact]
    public void A_link_to_an_undefined_resource_is_refused()
    {
        var json = Valid.Replace("\"resources\": [\"r1\"]", "\"resources\": [\"nope\"]");

        var error = Assert.Throws<InvalidFrameworkFileException>(() => FrameworkLoader.Load("bad.json", json));

        Assert.Contains("element A1", error.Message);
        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public void An_unknown_criterion_kind_is_refused()
    {
        var json = Valid.Replace("\"code\": \"E1-M1\", \"kind\": \"Minimum\"", "\"code\": \"E1-M1\", \"kind\": \"Maximum\"");

        var error = Assert.Throws<InvalidFrameworkFileException>(() => FrameworkLoader.Load("bad.json", json));

        Assert.Contains("element E1", error.Message);
    }
}
