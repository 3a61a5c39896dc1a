using Microsoft.EntityFrameworkCore;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Organizations;

namespace PalliativeToolkit.Infrastructure.Tests;

public class ConcurrencyAndAuditTests
{
    private static async Task<(Guid Assessment, Guid Element)> DraftElementAsync(TestDatabase database)
    {
        await using var db = database.NewContext();
        var draft = await db.Assessments.Include(a => a.Elements).FirstAsync(a => a.Status == AssessmentStatus.Draft && a.Organization!.Kind == OrganizationKind.ManagedCarePlan);
        return (draft.Id, draft.Elements.OrderBy(e => e.Id).First().Id);
    }

    private static Task<ElementResponse> LoadAsync(Persistence.ToolkitDbContext db, Guid id) =>
        db.ElementResponses.Include(e => e.Criteria).SingleAsync(e => e.Id == id);

    [Fact]
    public async Task A_stale_save_from_a_second_context_is_refused_not_silently_overwritten()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (_, elementId) = await DraftElementAsync(database);
        await using var first = database.NewContext();
        await using var second = database.NewContext();
        var mine = await LoadAsync(first, elementId);
        var theirs = await LoadAsync(second, elementId);

        mine.Record(new Dictionary<Guid, Answer>(), "first writer", [], Priority.High);
        await first.SaveChangesAsync();
        theirs.Record(new Dictionary<Guid, Answer>(), "second writer", [], Priority.Low);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var check = database.NewContext();
        Assert.Equal("first writer", (await LoadAsync(check, elementId)).EvidenceNotes);
    }

    [Fact]
    public async Task Every_save_renews_the_concurrency_token()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (_, elementId) = await DraftElementAsync(database);
        await using var db = database.NewContext();
        var element = await LoadAsync(db, elementId);
        var before = element.Version;

        element.Record(new Dictionary<Guid, Answer>(), "changed", [], Priority.Medium);
        await db.SaveChangesAsync();

        Assert.NotEqual(before, element.Version);
    }

    [Fact]
    public async Task A_change_to_assessment_data_writes_who_when_what_before_and_after()
    {
        await using var database = await TestDatabase.CreateAsync();
        var (_, elementId) = await DraftElementAsync(database);
        database.User.Id = "auditor-check-user";
        database.Time.Advance(TimeSpan.FromDays(3));
        await using var db = database.NewContext();
        var element = await LoadAsync(db, elementId);
        var oldNotes = element.EvidenceNotes;
        var criterion = element.Criteria[0];
        var (before, after) = (criterion.Answer, criterion.Answer == Answer.NotMet ? Answer.Met : Answer.NotMet);

        element.Record(new Dictionary<Guid, Answer> { [criterion.CriterionId] = after }, "Audit me", [], Priority.High);
        await db.SaveChangesAsync();

        await using var check = database.NewContext();
        var entries = await check.AuditEntries.Where(a => a.UserId == "auditor-check-user").ToListAsync();
        var elementEntry = Assert.Single(entries, e => e.EntityType == nameof(ElementResponse) && e.EntityId == elementId.ToString());
        Assert.Equal("Modified", elementEntry.Action);
        Assert.Equal(database.Time.GetUtcNow().UtcDateTime, elementEntry.Timestamp);
        Assert.Contains("Audit me", elementEntry.NewValues);
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(oldNotes), elementEntry.OldValues);
        var criterionEntry = Assert.Single(entries, e => e.EntityType == nameof(CriterionResponse));
        Assert.Equal($"{{\"Answer\":\"{before}\"}}", criterionEntry.OldValues);
        Assert.Equal($"{{\"Answer\":\"{after}\"}}", criterionEntry.NewValues);
    }

    [Fact]
    public async Task Starting_an_assessment_is_audited_as_added()
    {
        await using var database = await TestDatabase.CreateAsync();
        var entries = await CountAsync(database, "Added", nameof(Assessment));

        Assert.True(entries >= 8);
        await using var db = database.NewContext();
        Assert.All(await db.AuditEntries.Where(a => a.EntityType == nameof(Assessment)).ToListAsync(), a => Assert.Equal("system", a.UserId));
    }

    private static async Task<int> CountAsync(TestDatabase database, string action, string type)
    {
        await using var db = database.NewContext();
        return await db.AuditEntries.CountAsync(a => a.Action == action && a.EntityType == type);
    }
}
