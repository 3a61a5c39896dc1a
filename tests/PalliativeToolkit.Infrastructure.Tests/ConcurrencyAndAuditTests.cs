using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Domain.Auditing;
using PalliativeToolkit.Domain.Common;
using PalliativeToolkit.Domain.Organizations;
using PalliativeToolkit.Infrastructure.Identity;
using PalliativeToolkit.Infrastructure.Operations;

namespace PalliativeToolkit.Infrastructure.Tests;

public class ConcurrencyAndAuditTests
{
    private static Task<Assessment> LoadAsync(Operation op, Guid assessmentId) =>
        op.Db.Assessments.Include(a => a.Elements).ThenInclude(e => e.Criteria).SingleAsync(a => a.Id == assessmentId);

    private static void Write(Assessment assessment, string notes, Answer answer)
    {
        var element = assessment.Elements.OrderBy(e => e.Id).First();
        assessment.RecordElement(element.Id, element.Criteria.ToDictionary(c => c.CriterionId, _ => answer), notes, [], Priority.High);
    }

    [Fact]
    public async Task A_stale_save_from_a_second_operation_is_refused_not_silently_overwritten()
    {
        await using var database = await TestDatabase.CreateAsync();
        var plan = await database.Data.PlanAsync();
        var manager = await database.Data.UserAsync(plan);
        var draft = await database.Data.AssessmentAsync(plan);
        await using var first = await database.OperationAsync(manager.Principal);
        await using var second = await database.OperationAsync(manager.Principal);
        var mine = await LoadAsync(first, draft.Id);
        var theirs = await LoadAsync(second, draft.Id);

        Write(mine, "first writer", Answer.Met);
        await first.SaveAsync();
        Write(theirs, "second writer", Answer.NotMet);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveAsync());
        var stored = await database.Data.StoredAsync(db => db.ElementResponses.Where(e => e.AssessmentId == draft.Id).OrderBy(e => e.Id).Select(e => e.EvidenceNotes).FirstAsync());
        Assert.Equal("first writer", stored);
    }

    [Fact]
    public async Task Two_replies_to_one_thread_saved_from_stale_copies_never_overwrite_the_second_is_refused_and_nothing_is_lost()
    {
        await using var database = await TestDatabase.CreateAsync();
        var plan = await database.Data.PlanAsync();
        var manager = await database.Data.UserAsync(plan);
        var reviewer = await database.Data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var submitted = await database.Data.AssessmentAsync(plan, answerAll: Answer.Met, submit: true);
        var opened = await database.Data.ThreadAsync(submitted.Id, "Which policy?");
        await using var first = await database.OperationAsync(manager.Principal);
        await using var second = await database.OperationAsync(reviewer.Principal);
        var mine = await first.Db.FeedbackThreads.SingleAsync(t => t.Id == opened.Id);
        var theirs = await second.Db.FeedbackThreads.SingleAsync(t => t.Id == opened.Id);

        mine.Reply(ThreadSide.Organization, "The one attached.", manager.Id, first.Now);
        await first.SaveAsync();
        theirs.Reply(ThreadSide.Reviewer, "Anything else?", reviewer.Id, second.Now);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveAsync());
        var stored = await database.Data.StoredAsync(db => db.FeedbackMessages.Where(m => m.ThreadId == opened.Id).OrderBy(m => m.CreatedAt).Select(m => m.Text).ToListAsync());
        Assert.Equal(["Which policy?", "The one attached."], stored);
    }

    [Fact]
    public async Task Two_answers_to_one_survey_question_saved_from_stale_copies_never_overwrite_the_second_is_refused()
    {
        await using var database = await TestDatabase.CreateAsync();
        var plan = await database.Data.PlanAsync();
        var manager = await database.Data.UserAsync(plan);
        var contributor = await database.Data.UserAsync(plan, OrganizationRole.Contributor);
        var wave = await database.Data.SurveyWaveAsync(Domain.Community.SurveyAudience.Plans, 2021,
            [new Domain.Community.QuestionDefinition("What would help most?", null, Domain.Community.QuestionKind.Text, [], null, null, Domain.Community.PortalSource.None)]);
        var started = await database.Data.SurveyResponseAsync(wave.Id, plan);
        await using var first = await database.OperationAsync(manager.Principal);
        await using var second = await database.OperationAsync(contributor.Principal);
        var mine = await first.Db.SurveyResponses.Include(r => r.Answers).SingleAsync(r => r.Id == started.Id);
        var theirs = await second.Db.SurveyResponses.Include(r => r.Answers).SingleAsync(r => r.Id == started.Id);

        mine.Record(wave.Items[0], Domain.Community.SurveyValue.Write("first writer"), null, first.Now, manager.Id);
        await first.SaveAsync();
        theirs.Record(wave.Items[0], Domain.Community.SurveyValue.Write("second writer"), null, second.Now, contributor.Id);

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveAsync());
        var stored = await database.Data.StoredAsync(db => db.SurveyAnswers.Where(a => a.ResponseId == started.Id).Select(a => a.Value).SingleAsync());
        Assert.Equal("first writer", Domain.Community.SurveyValue.Parse(stored)!.Text);
    }

    [Fact]
    public async Task Every_save_renews_the_concurrency_token()
    {
        await using var database = await TestDatabase.CreateAsync();
        var plan = await database.Data.PlanAsync();
        var manager = await database.Data.UserAsync(plan);
        var draft = await database.Data.AssessmentAsync(plan);
        await using var op = await database.OperationAsync(manager.Principal);
        var assessment = await LoadAsync(op, draft.Id);
        var element = assessment.Elements.OrderBy(e => e.Id).First();
        var before = element.Version;

        Write(assessment, "changed", Answer.Met);
        await op.SaveAsync();

        Assert.NotEqual(before, element.Version);
        Assert.Equal(element.Version, await database.Data.StoredAsync(db => db.ElementResponses.Where(e => e.Id == element.Id).Select(e => e.Version).SingleAsync()));
    }

    [Fact]
    public async Task A_change_to_assessment_data_writes_who_when_what_before_and_after()
    {
        await using var database = await TestDatabase.CreateAsync();
        var plan = await database.Data.PlanAsync();
        var contributor = await database.Data.UserAsync(plan, OrganizationRole.Contributor);
        var draft = await database.Data.AssessmentAsync(plan, answerAll: Answer.NotMet);
        database.Time.Advance(TimeSpan.FromDays(3));
        await using var op = await database.OperationAsync(contributor.Principal);
        var assessment = await LoadAsync(op, draft.Id);
        var element = assessment.Elements.OrderBy(e => e.Id).First();
        var criterion = element.Criteria.OrderBy(c => c.Id).First();
        var oldNotes = element.EvidenceNotes;

        assessment.RecordElement(element.Id, new Dictionary<Guid, Answer> { [criterion.CriterionId] = Answer.Met }, "Audit me", [], Priority.High);
        await op.SaveAsync();

        var entries = await database.Data.StoredAsync(db => db.AuditEntries.Where(a => a.UserId == contributor.Id).ToListAsync());
        var elementEntry = Assert.Single(entries, e => e.EntityType == nameof(ElementResponse));
        Assert.Equal(element.Id.ToString(), elementEntry.EntityId);
        Assert.Equal("Modified", elementEntry.Action);
        Assert.Equal(database.Time.GetUtcNow().UtcDateTime, elementEntry.Timestamp);
        Assert.Contains("Audit me", elementEntry.NewValues);
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(oldNotes), elementEntry.OldValues);
        var criterionEntry = Assert.Single(entries, e => e.EntityType == nameof(CriterionResponse));
        Assert.Equal(criterion.Id.ToString(), criterionEntry.EntityId);
        Assert.Equal("{\"Answer\":\"NotMet\"}", criterionEntry.OldValues);
        Assert.Equal("{\"Answer\":\"Met\"}", criterionEntry.NewValues);
        Assert.Equal(2, entries.Count);
    }

    /// <summary>
    /// Every kind of audited change, each made in an operation of a different named user: each audit row names the user
    /// who acted (the same one the operation authorized), and every audited type is covered.
    /// </summary>
    [Fact]
    public async Task The_audit_row_of_every_kind_of_change_names_the_acting_user()
    {
        await using var database = await TestDatabase.CreateAsync();
        var data = database.Data;
        var admin = await data.UserAsync(globalRole: GlobalRoles.Administrator);
        var reviewer = await data.UserAsync(globalRole: GlobalRoles.StatewideReviewer);
        var plan = await data.PlanAsync();
        var provider = await data.ProviderAsync();
        var manager = await data.UserAsync(plan);
        var contributor = await data.UserAsync(plan, OrganizationRole.Contributor);
        var providerManager = await data.UserAsync(provider);
        var expected = new List<(string User, string Type, string Action)>();

        async Task As(Testing.TestUser user, Func<Operation, Task> change, params (string Type, string Action)[] kinds)
        {
            await using var op = await database.OperationAsync(user.Principal);
            await change(op);
            await op.SaveAsync();
            expected.AddRange(kinds.Select(k => (user.Id, k.Type, k.Action)));
        }

        // Organization and membership, by an administrator.
        var added = new Organization($"Audited plan {Guid.NewGuid():N}", OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named("Alameda"), PlanModel.SinglePlan);
        await As(admin, op => { op.Db.Organizations.Add(added); return Task.CompletedTask; }, (nameof(Organization), "Added"));
        await As(admin, async op => (await op.Db.Organizations.SingleAsync(o => o.Id == added.Id)).Update("Renamed " + added.Name, CaliforniaCounties.Named("Alameda"), PlanModel.SinglePlan, null, null), (nameof(Organization), "Modified"));
        await As(admin, async op => (await op.Db.Organizations.Include(o => o.Memberships).SingleAsync(o => o.Id == added.Id)).AddMember(contributor.Id, OrganizationRole.Viewer), (nameof(Membership), "Added"));
        await As(admin, async op => (await op.Db.Organizations.Include(o => o.Memberships).SingleAsync(o => o.Id == added.Id)).SetMember(contributor.Id, OrganizationRole.Manager), (nameof(Membership), "Modified"));
        await As(admin, async op => (await op.Db.Organizations.Include(o => o.Memberships).SingleAsync(o => o.Id == added.Id)).RemoveMember(contributor.Id), (nameof(Membership), "Deleted"));

        // An assessment started by its manager, answered by a contributor, submitted, returned by a reviewer.
        Guid assessmentId = default;
        await As(manager, async op =>
        {
            var framework = await op.Db.FrameworkVersions.Include(f => f.Sections).ThenInclude(s => s.Elements).ThenInclude(e => e.Criteria).SingleAsync(f => f.IsCurrent);
            var assessment = Assessment.Start(await op.Db.Organizations.SingleAsync(o => o.Id == plan.Id), framework, "2026", op.Now, op.Viewer.UserId);
            assessmentId = assessment.Id;
            op.Db.Assessments.Add(assessment);
        }, (nameof(Assessment), "Added"), (nameof(ElementResponse), "Added"), (nameof(CriterionResponse), "Added"));
        await As(contributor, async op =>
        {
            var assessment = await LoadAsync(op, assessmentId);
            foreach (var element in assessment.Elements)
            {
                assessment.RecordElement(element.Id, element.Criteria.ToDictionary(c => c.CriterionId, _ => Answer.Met), "done", [], Priority.Low);
            }
        }, (nameof(ElementResponse), "Modified"), (nameof(CriterionResponse), "Modified"));
        await As(manager, async op =>
        {
            var assessment = await op.Db.Assessments.Include(a => a.Elements).ThenInclude(e => e.Criteria).Include(a => a.Elements).ThenInclude(e => e.Element!).ThenInclude(e => e.Section).SingleAsync(a => a.Id == assessmentId);
            assessment.Submit(op.Now, op.Viewer.UserId);
        }, (nameof(Assessment), "Modified"), (nameof(Submission), "Added"));
        await As(reviewer, async op =>
        {
            var assessment = await op.Db.Assessments.SingleAsync(a => a.Id == assessmentId);
            await op.Db.Submissions.Include(s => s.Elements).Where(s => s.AssessmentId == assessmentId).LoadAsync();
            assessment.Return(op.Now, op.Viewer.UserId, [(null, "Add the policy")]);
        }, (nameof(Assessment), "Modified"), (nameof(Submission), "Modified"), (nameof(Feedback), "Added"));

        // A feedback thread opened by the reviewer on an element, answered by a contributor, resolved by the manager.
        Guid threadId = default;
        await As(reviewer, async op =>
        {
            var round = await op.Db.Submissions.Include(s => s.Elements).SingleAsync(s => s.AssessmentId == assessmentId);
            var thread = FeedbackThread.Start(round, round.Elements.OrderBy(e => e.ElementId).First().ElementId, "Which policy?", op.Viewer.UserId, op.Now);
            threadId = thread.Id;
            op.Db.FeedbackThreads.Add(thread);
        }, (nameof(FeedbackThread), "Added"), (nameof(FeedbackMessage), "Added"));
        await As(contributor, async op => (await op.Db.FeedbackThreads.SingleAsync(t => t.Id == threadId)).Reply(ThreadSide.Organization, "The one attached.", op.Viewer.UserId, op.Now),
            (nameof(FeedbackThread), "Modified"), (nameof(FeedbackMessage), "Added"));
        await As(manager, async op => (await op.Db.FeedbackThreads.SingleAsync(t => t.Id == threadId)).Resolve(op.Viewer.UserId, op.Now), (nameof(FeedbackThread), "Modified"));

        // A share granted and revoked by the provider's manager.
        Guid grantId = default;
        await As(providerManager, op =>
        {
            var grant = ShareGrant.Grant(provider, plan, ShareKind.SubmittedReadiness, op.Now, op.Viewer.UserId);
            grantId = grant.Id;
            op.Db.ShareGrants.Add(grant);
            return Task.CompletedTask;
        }, (nameof(ShareGrant), "Added"));
        await As(providerManager, async op => (await op.Db.ShareGrants.SingleAsync(g => g.Id == grantId)).Revoke(op.Now, op.Viewer.UserId), (nameof(ShareGrant), "Modified"));

        // A partnership added by the plan's manager, its terms revised and its status changed.
        Guid partnershipId = default;
        var contact = new PartnerContact(PartnerSide.Provider, "Provider Contact", null, null, null);
        await As(manager, async op =>
        {
            var terms = new PartnershipTerms(CaliforniaCounties.Named("Alameda"), [CareService.HomeVisits], null, null, 5, [contact]);
            var partnership = Partnership.Start(
                await op.Db.Organizations.SingleAsync(o => o.Id == plan.Id), await op.Db.Organizations.SingleAsync(o => o.Id == provider.Id),
                PartnershipStatus.Active, DateOnly.FromDateTime(op.Now), terms, op.Now, op.Viewer.UserId);
            partnershipId = partnership.Id;
            op.Db.Partnerships.Add(partnership);
        }, (nameof(Partnership), "Added"), (nameof(PartnershipStatusChange), "Added"), (nameof(PartnershipContact), "Added"));
        await As(manager, async op =>
        {
            var partnership = await op.Db.Partnerships.Include(p => p.Contacts).SingleAsync(p => p.Id == partnershipId);
            partnership.Revise(new PartnershipTerms(CaliforniaCounties.Named("Alameda"), [CareService.Telehealth], null, null, 8, [contact with { Name = "Renamed Contact" }]));
        }, (nameof(Partnership), "Modified"), (nameof(PartnershipContact), "Deleted"), (nameof(PartnershipContact), "Added"));

        // A joint section E started by the plan's manager and answered by the provider's manager.
        Guid jointId = default;
        await As(manager, async op =>
        {
            var framework = await op.Db.FrameworkVersions.Include(f => f.Sections).ThenInclude(s => s.Elements).ThenInclude(e => e.Criteria).SingleAsync(f => f.IsCurrent);
            var joint = JointAssessment.Start(await op.Db.Partnerships.SingleAsync(p => p.Id == partnershipId), framework, "2026", op.Now, op.Viewer.UserId);
            jointId = joint.Id;
            op.Db.JointAssessments.Add(joint);
        }, (nameof(JointAssessment), "Added"), (nameof(JointAnswer), "Added"));
        await As(providerManager, async op =>
        {
            var joint = await op.Db.JointAssessments.Include(j => j.Answers).Include(j => j.Notes).Include(j => j.Changes).SingleAsync(j => j.Id == jointId);
            var answer = joint.Answers.First(a => a.Side == PartnerSide.Provider);
            joint.Answer(PartnerSide.Provider, answer.CriterionId, Answer.Open, Answer.Met, op.Now, op.Viewer.UserId, "answered");
            joint.WriteNotes(PartnerSide.Provider, answer.ElementId, "", "Our view", op.Now, op.Viewer.UserId, "wrote notes");
        }, (nameof(JointAssessment), "Modified"), (nameof(JointAnswer), "Modified"), (nameof(JointNote), "Added"));
        await As(manager, async op =>
        {
            var partnership = await op.Db.Partnerships.SingleAsync(p => p.Id == partnershipId);
            partnership.ChangeStatus(PartnershipStatus.Ended, DateOnly.FromDateTime(op.Now), op.Now, op.Viewer.UserId);
        }, (nameof(Partnership), "Modified"), (nameof(PartnershipStatusChange), "Added"));

        // An action item drafted from the plan's assessment by its manager, then assigned and given a due date.
        Guid itemId = default;
        await As(manager, async op =>
        {
            var element = await op.Db.Elements.Include(e => e.Section).Include(e => e.Criteria).FirstAsync(e => e.Criteria.Any(c => c.Kind == Domain.Frameworks.CriterionKind.Enhancement));
            var enhancement = element.Criteria.First(c => c.Kind == Domain.Frameworks.CriterionKind.Enhancement);
            var item = Domain.ActionPlans.ActionItem.ForEnhancement(plan.Id, assessmentId, "2026", element.Id, element.Section!.Code, element.Code, enhancement.Code,
                enhancement.Text, [], Level.MeetsMinimum, op.Now, op.Viewer.UserId);
            itemId = item.Id;
            op.Db.ActionItems.Add(item);
        }, (nameof(Domain.ActionPlans.ActionItem), "Added"));
        await As(manager, async op =>
        {
            var item = await op.Db.ActionItems.SingleAsync(i => i.Id == itemId);
            var today = DateOnly.FromDateTime(op.Now);
            item.Update(item.Title, op.Viewer.UserId, today.AddDays(10), Domain.ActionPlans.ActionStatus.InProgress, "Started", [], today, op.Now);
        }, (nameof(Domain.ActionPlans.ActionItem), "Modified"));

        // A document uploaded by the provider's manager, shared with the plan, then offered to everyone.
        Guid documentId = default;
        await As(providerManager, op =>
        {
            var document = new Domain.Resources.OrganizationDocument(provider.Id, "RN job description", "", Domain.Resources.ResourceKind.JobDescription, ["B2"],
                new string('a', 32), "rn.pdf", "Pdf", "application/pdf", 100, new string('0', 64), op.Now, op.Viewer.UserId);
            document.ShareWith(plan.Id, op.Now, op.Viewer.UserId);
            documentId = document.Id;
            op.Db.OrganizationDocuments.Add(document);
            return Task.CompletedTask;
        }, (nameof(Domain.Resources.OrganizationDocument), "Added"), (nameof(Domain.Resources.DocumentShare), "Added"));
        await As(providerManager, async op => (await op.Db.OrganizationDocuments.SingleAsync(d => d.Id == documentId)).Propose(op.Now),
            (nameof(Domain.Resources.OrganizationDocument), "Modified"));

        // A resource of the library retired by an administrator.
        await As(admin, async op => (await op.Db.LibraryResources.OrderBy(r => r.Key).FirstAsync()).Retire(op.Now, op.Viewer.UserId), (nameof(Domain.Resources.LibraryResource), "Modified"));

        // A learning-community event scheduled by a reviewer, with a material; moved; a member registers and takes it back.
        Guid eventId = default;
        await As(reviewer, op =>
        {
            var time = Domain.Community.EventTime.At(op.Now.AddDays(10), Domain.Community.EventTime.Pacific, 60);
            var scheduled = new Domain.Community.CommunityEvent(Domain.Community.EventKind.Webinar, "Audited webinar", time, "Topic", "Presenters", ["A1"], null, op.Now, op.Viewer.UserId);
            eventId = scheduled.Id;
            op.Db.CommunityEvents.Add(scheduled);
            op.Db.EventMaterials.Add(Domain.Community.EventMaterial.Link(scheduled, "Slides", "https://www.example.org/slides", op.Now, op.Viewer.UserId));
            return Task.CompletedTask;
        }, (nameof(Domain.Community.CommunityEvent), "Added"), (nameof(Domain.Community.EventMaterial), "Added"));
        await As(reviewer, async op =>
        {
            var scheduled = await op.Db.CommunityEvents.SingleAsync(e => e.Id == eventId);
            scheduled.Reschedule("Audited webinar, moved", Domain.Community.EventTime.At(op.Now.AddDays(11), Domain.Community.EventTime.Pacific, 60), "Topic", "Presenters", ["A1"], null, "", op.Now);
        }, (nameof(Domain.Community.CommunityEvent), "Modified"));
        Guid registrationId = default;
        await As(contributor, async op =>
        {
            var registration = new Domain.Community.EventRegistration(await op.Db.CommunityEvents.SingleAsync(e => e.Id == eventId), plan.Id, op.Viewer.UserId, op.Now, op.Viewer.UserId);
            registrationId = registration.Id;
            op.Db.EventRegistrations.Add(registration);
        }, (nameof(Domain.Community.EventRegistration), "Added"));
        await As(contributor, async op => op.Db.EventRegistrations.Remove(await op.Db.EventRegistrations.SingleAsync(r => r.Id == registrationId)),
            (nameof(Domain.Community.EventRegistration), "Deleted"));
        // A survey wave built and opened by a reviewer, answered by the plan's contributor, submitted by its manager.
        Guid waveId = default;
        Guid responseId = default;
        await As(reviewer, op =>
        {
            var question = new Domain.Community.SurveyQuestion(
                new Domain.Community.QuestionDefinition("How confident are you?", null, Domain.Community.QuestionKind.Scale, [], null, null, Domain.Community.PortalSource.None), op.Now, op.Viewer.UserId);
            var wave = new Domain.Community.SurveyInstrument("Audited survey", Domain.Community.SurveyAudience.Plans, 2020,
                DateOnly.FromDateTime(op.Now).AddDays(-1), DateOnly.FromDateTime(op.Now).AddDays(10), op.Now, op.Viewer.UserId);
            wave.Add(question);
            waveId = wave.Id;
            op.Db.SurveyQuestions.Add(question);
            op.Db.SurveyInstruments.Add(wave);
            return Task.CompletedTask;
        }, (nameof(Domain.Community.SurveyQuestion), "Added"), (nameof(Domain.Community.SurveyInstrument), "Added"), (nameof(Domain.Community.SurveyItem), "Added"));
        await As(reviewer, async op => (await op.Db.SurveyInstruments.Include(i => i.Items).SingleAsync(i => i.Id == waveId)).Open(op.Now),
            (nameof(Domain.Community.SurveyInstrument), "Modified"));
        await As(manager, async op =>
        {
            var wave = await op.Db.SurveyInstruments.Include(i => i.Items).SingleAsync(i => i.Id == waveId);
            var response = Domain.Community.SurveyResponse.Start(wave, plan.Id, DateOnly.FromDateTime(op.Now), op.Now, op.Viewer.UserId);
            responseId = response.Id;
            op.Db.SurveyResponses.Add(response);
        }, (nameof(Domain.Community.SurveyResponse), "Added"), (nameof(Domain.Community.SurveyAnswer), "Added"));
        await As(contributor, async op =>
        {
            var wave = await op.Db.SurveyInstruments.Include(i => i.Items).SingleAsync(i => i.Id == waveId);
            var response = await op.Db.SurveyResponses.Include(r => r.Answers).SingleAsync(r => r.Id == responseId);
            response.Record(wave.Items[0], Domain.Community.SurveyValue.Of(4), null, op.Now, op.Viewer.UserId);
        }, (nameof(Domain.Community.SurveyAnswer), "Modified"));
        await As(manager, async op =>
        {
            var wave = await op.Db.SurveyInstruments.Include(i => i.Items).SingleAsync(i => i.Id == waveId);
            (await op.Db.SurveyResponses.Include(r => r.Answers).SingleAsync(r => r.Id == responseId)).Submit(wave.Items, op.Now, op.Viewer.UserId);
        }, (nameof(Domain.Community.SurveyResponse), "Modified"), (nameof(Domain.Community.SurveyAnswer), "Modified"));

        // Attendance of a past event: recorded by a reviewer, a row imported from an attendee report, a wrong entry removed.
        Guid attendanceId = default;
        await As(reviewer, op =>
        {
            var time = Domain.Community.EventTime.At(op.Now.AddDays(-3), Domain.Community.EventTime.Pacific, 60);
            var past = new Domain.Community.CommunityEvent(Domain.Community.EventKind.Webinar, "Audited past webinar", time, "Topic", "Presenters", ["A1"], null, op.Now.AddDays(-10), op.Viewer.UserId);
            op.Db.CommunityEvents.Add(past);
            var import = new Domain.Community.AttendanceImport(past, "report.csv", new string('a', 64), op.Now, op.Viewer.UserId);
            op.Db.AttendanceImports.Add(import);
            var recorded = Domain.Community.Attendance.ByStaff(past, plan.Id, null, "Jo Guest", "jo@guest.example.org", op.Now, op.Viewer.UserId);
            attendanceId = recorded.Id;
            op.Db.Attendances.Add(recorded);
            op.Db.Attendances.Add(Domain.Community.Attendance.Imported(past, import, 2, plan.Id, null, "Ana Ramos", "ana@guest.example.org", 40, op.Now, op.Viewer.UserId));
            return Task.CompletedTask;
        }, (nameof(Domain.Community.CommunityEvent), "Added"), (nameof(Domain.Community.AttendanceImport), "Added"), (nameof(Domain.Community.Attendance), "Added"));
        await As(reviewer, async op => op.Db.Attendances.Remove(await op.Db.Attendances.SingleAsync(a => a.Id == attendanceId)),
            (nameof(Domain.Community.Attendance), "Deleted"));

        // Everything the builders arranged is the system's; everything else is someone's.
        var rows = await database.Data.StoredAsync(db => db.AuditEntries.Where(a => a.UserId != "system").ToListAsync());
        foreach (var (user, type, action) in expected.Distinct())
        {
            Assert.True(rows.Any(r => r.UserId == user && r.EntityType == type && r.Action == action), $"no {action} {type} audited as {user}");
        }

        // Nothing the users did was written under another name, and every audited type has been exercised.
        Assert.All(rows, r => Assert.Contains(expected, e => e.User == r.UserId && e.Type == r.EntityType && e.Action == r.Action));
        var auditedTypes = typeof(IAudited).Assembly.GetTypes().Where(t => typeof(IAudited).IsAssignableFrom(t) && !t.IsInterface).Select(t => t.Name);
        Assert.Empty(auditedTypes.Except(expected.Select(e => e.Type)));
    }

    [Fact]
    public async Task A_change_saved_by_a_context_no_operation_opened_is_refused_and_writes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        await using var db = database.UnboundContext();
        db.Organizations.Add(new Organization("Nobody's plan", OrganizationKind.ManagedCarePlan, CaliforniaCounties.Named("Alameda"), PlanModel.SinglePlan));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());

        Assert.Contains("acts for nobody", error.Message);
        Assert.False(await database.Data.StoredAsync(d => d.Organizations.AnyAsync(o => o.Name == "Nobody's plan")));
    }

    [Fact]
    public async Task The_seeded_demo_is_audited_as_the_system_one_row_per_assessment_started()
    {
        await using var database = await TestDatabase.CreateAsync();

        var (assessments, added) = await database.Data.StoredAsync(async db => (
            await db.Assessments.Select(a => a.Id.ToString()).ToListAsync(),
            await db.AuditEntries.Where(a => a.EntityType == nameof(Assessment) && a.Action == "Added").ToListAsync()));

        Assert.Equal(assessments.Select(Guid.Parse).Order(), added.Select(a => Guid.Parse(a.EntityId)).Order());
        Assert.All(added, a => Assert.Equal("system", a.UserId));
    }

    [Fact]
    public async Task Identity_users_of_an_operation_share_its_context_so_their_changes_are_saved_with_it()
    {
        await using var database = await TestDatabase.CreateAsync(seedDemo: false);
        var admin = await database.Data.UserAsync(globalRole: GlobalRoles.Administrator);
        await using var op = await database.OperationAsync(admin.Principal);

        var users = op.Services.GetRequiredService<UserManager<ApplicationUser>>();

        Assert.Same(op.Db, op.Services.GetRequiredService<Persistence.ToolkitDbContext>());
        Assert.NotNull(await users.FindByIdAsync(admin.Id));
    }
}
