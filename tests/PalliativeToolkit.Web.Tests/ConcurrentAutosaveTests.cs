using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Testing;
using PalliativeToolkit.Web.Features.Assessments;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// Many people typing at once on the embedded database. SQLite's shared cache locks whole tables between the
/// connections of one process: a save reading criteria while another writes them waited out the 30 s command
/// timeout and failed (found by the autosave benchmark, 20 writers: no save finished). The portal never uses it.
/// </summary>
public class ConcurrentAutosaveTests(SharedCachePortalFactory factory) : IClassFixture<SharedCachePortalFactory>
{
    private const int Writers = 12;
    private const int SavesEach = 4;

    [Fact]
    public async Task Twelve_managers_saving_at_once_all_succeed_even_when_the_connection_string_asks_for_a_shared_cache()
    {
        var data = factory.Data;
        var writers = new List<(TestUser Manager, SaveElementCommand Save)>();
        for (var i = 0; i < Writers; i++)
        {
            var plan = await data.PlanAsync();
            var manager = await data.UserAsync(plan);
            var assessment = await data.AssessmentAsync(plan);
            var element = assessment.Elements.First(e => e.Criteria.Count > 0);
            writers.Add((manager, new SaveElementCommand
            {
                AssessmentId = assessment.Id,
                ElementResponseId = element.Id,
                ExpectedVersion = element.Version,
                Answers = element.Criteria.ToDictionary(c => c.CriterionId, c => c.Answer),
                EvidenceNotes = string.Empty,
                EvidenceLinks = [],
                Priority = Priority.None,
            }));
        }

        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var running = writers.Select(w => Task.Run(async () =>
        {
            await go.Task;
            using var scope = factory.Services.CreateScope();
            var service = scope.ServiceProvider.GetRequiredService<AssessmentService>();
            for (var save = 1; save <= SavesEach; save++)
            {
                w.Save.EvidenceNotes = $"Draft {save} of the referral workflow";
                w.Save.Answers[w.Save.Answers.Keys.First()] = save % 2 == 0 ? Answer.NotMet : Answer.Met;
                try
                {
                    var outcome = await service.SaveElementAsync(w.Manager.Principal, w.Save, TestContext.Current.CancellationToken);
                    if (!outcome.Succeeded)
                    {
                        failures.Add(outcome.Message ?? outcome.Failure?.ToString() ?? "not saved");
                        return;
                    }

                    w.Save.ExpectedVersion = outcome.Value.Version;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    failures.Add($"{e.GetType().Name}: {e.GetBaseException().Message}");
                    return;
                }
            }
        })).ToList();
        go.SetResult();
        await Task.WhenAll(running);

        Assert.Empty(failures);
        foreach (var (_, save) in writers)
        {
            var stored = await data.StoredAsync(db => db.ElementResponses.Where(e => e.Id == save.ElementResponseId)
                .Select(e => new { e.Version, e.EvidenceNotes, Answers = e.Criteria.Select(c => new { c.CriterionId, c.Answer }).ToList() }).SingleAsync());
            Assert.Equal(save.ExpectedVersion, stored.Version);
            Assert.Equal($"Draft {SavesEach} of the referral workflow", stored.EvidenceNotes);
            Assert.All(stored.Answers, a => Assert.Equal(save.Answers[a.CriterionId], a.Answer));
        }
    }
}
