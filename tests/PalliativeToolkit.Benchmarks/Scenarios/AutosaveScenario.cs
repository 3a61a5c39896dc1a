using System.Diagnostics;
using System.Security.Claims;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PalliativeToolkit.Benchmarks.Portal;
using PalliativeToolkit.Domain.Assessments;
using PalliativeToolkit.Web.Features.Assessments;
using static PalliativeToolkit.Benchmarks.Statistics;

namespace PalliativeToolkit.Benchmarks.Scenarios;

/// <summary>
/// The autosave of one element card (<see cref="AssessmentService.SaveElementAsync"/>), called as the card calls it,
/// on the in-process portal's own SQLite file (WAL): one writer alone, then W writers at once, each a manager of a
/// plan of their own saving an element of their own draft assessment, so that no two saves conflict on a row.
/// </summary>
internal sealed class AutosaveScenario : IScenario
{
    private const int WarmUpSaves = 30;
    private const int AloneFactor = 3;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(15);

    public string Name => "autosave";

    public string Description => "Autosave (AssessmentService.SaveElementAsync) p50/p95 alone vs concurrent writers, and saves per second (in-process portal, SQLite WAL)";

    public async Task<IReadOnlyList<ResultRow>> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        var crowdSize = options.Writers;
        var aloneSaves = AloneFactor * options.Saves;
        Progress("starting the portal in-process (migrate and seed)");
        await using var portal = InProcessPortal.Start();
        var journal = await JournalModeAsync(portal);
        Progress($"arranging {crowdSize + 1} plans, each with a manager and a draft assessment (journal_mode={journal})");
        var writers = new List<Writer>();
        try
        {
            for (var i = 0; i <= crowdSize; i++)
            {
                writers.Add(await Writer.ArrangeAsync(portal, cancellationToken));
            }

            var lone = writers[0];
            var crowd = writers.Skip(1).ToList();

            // Warm-up: the first saves compile the save path (JIT, EF Core's query and update caches) and fill the pools.
            await RunTogetherAsync([lone], WarmUpSaves, cancellationToken);
            lone.Forget();
            var alone = await RunTogetherAsync([lone], aloneSaves, cancellationToken);
            Progress($"alone: {aloneSaves} saves in {alone.Wall.TotalSeconds:0.00} s, p50 {Milliseconds(alone.P50)}, p95 {Milliseconds(alone.P95)}");

            // One untimed save each, one writer after the other: each writer's own first-time costs stay out of the figures.
            foreach (var writer in crowd)
            {
                await writer.SaveAsync(cancellationToken);
                writer.Forget();
            }

            var together = await RunTogetherAsync(crowd, options.Saves, cancellationToken);
            Progress($"{crowdSize} writers: {together.Saves} saves in {together.Wall.TotalSeconds:0.00} s, p50 {Milliseconds(together.P50)}, p95 {Milliseconds(together.P95)}");

            var readBack = 0;
            foreach (var writer in writers)
            {
                readBack += await writer.ReadsBackAsLastSavedAsync(cancellationToken) ? 1 : 0;
            }

            return Rows(options, crowdSize, journal, alone, together, writers, readBack);
        }
        finally
        {
            foreach (var writer in writers)
            {
                writer.Dispose();
            }
        }
    }

    private List<ResultRow> Rows(BenchmarkOptions options, int crowdSize, string journal, Run alone, Run together, List<Writer> writers, int readBack)
    {
        var failures = alone.Failures.Concat(together.Failures).ToList();
        var failureNotes = failures.Count == 0
            ? "every save answered success with a new version, alone and concurrent (no SQLITE_BUSY/LOCKED error, no conflict); " +
              "Microsoft.Data.Sqlite waits on a locked database itself (up to its 30 s command timeout): nothing here retries"
            : Invariant($"{alone.Failures.Count} alone, {together.Failures.Count} concurrent, not retried (a failed save's transaction rolled back; the writer went on from its last saved version): ") +
              string.Join("; ", failures.GroupBy(f => f).OrderByDescending(g => g.Count()).Select(g => Invariant($"{g.Count()} × {g.Key}")));
        var setting = $"in-process portal on its own SQLite file (journal_mode={journal}, private cache per connection); " +
                      "each save uses the version the previous one returned, toggles one criterion (Met/Not met) and changes the evidence notes";
        return
        [
            new(Name, "Autosave alone, p50", Milliseconds(alone.P50),
                Invariant($"{alone.Saves} saves of one element by one manager after {WarmUpSaves} warm-up saves; {setting}")),
            new(Name, "Autosave alone, p95", Milliseconds(alone.P95), alone.Tail),
            new(Name, Invariant($"Autosave with {crowdSize} writers, p50"), Milliseconds(together.P50),
                Invariant($"{crowdSize} writers (a Task each, own plan, manager, draft assessment and element), started together, {options.Saves} saves each: ") +
                Invariant($"latencies of all {together.Saves} saves; one untimed save per writer before")),
            new(Name, Invariant($"Autosave with {crowdSize} writers, p95"), Milliseconds(together.P95), together.Tail),
            new(Name, "Concurrent / alone, p50", Ratio(together.P50, alone.P50), "same run, same portal"),
            new(Name, "Concurrent / alone, p95", Ratio(together.P95, alone.P95), "same run, same portal"),
            new(Name, "Saves per second, alone", Invariant($"{alone.Saves / alone.Wall.TotalSeconds:N0}"),
                Invariant($"{alone.Saves} saves / {alone.Wall.TotalSeconds:0.00} s wall time")),
            new(Name, Invariant($"Saves per second, {crowdSize} writers"), Invariant($"{together.Saves / together.Wall.TotalSeconds:N0}"),
                Invariant($"{together.Saves} saves / {together.Wall.TotalSeconds:0.00} s wall time, from the start signal until the last writer finished; ") +
                Invariant($"{Environment.ProcessorCount} logical processors, default thread pool; each save is its own thread-pool work item, as each autosave is its own circuit event")),
            new(Name, "Saves that did not succeed", Invariant($"{failures.Count}"), failureNotes),
            new(Name, "Elements read back as last saved", Invariant($"{readBack} of {writers.Count}"),
                "after the runs each writer's element, read through AssessmentService.GetAsync, has the version, answers and evidence notes of that writer's last successful save"),
        ];
    }

    /// <summary>Lets every writer save <paramref name="saves"/> times, all started by one signal; answers the latencies and the wall time.</summary>
    private static async Task<Run> RunTogetherAsync(IReadOnlyList<Writer> writers, int saves, CancellationToken cancellationToken)
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Each writer runs until it awaits the signal, so all of them are waiting before it is given.
        var running = writers.Select(w => w.SaveRepeatedlyAsync(saves, go.Task, cancellationToken)).ToList();
        var start = Stopwatch.GetTimestamp();
        go.SetResult();
        var all = Task.WhenAll(running);
        while (await Task.WhenAny(all, Task.Delay(ProgressInterval, cancellationToken)) != all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Progress(Invariant($"{Stopwatch.GetElapsedTime(start).TotalSeconds:N0} s: {writers.Sum(w => w.Done)} of {writers.Count * saves} saves done, {writers.Sum(w => w.Failed)} failed"));
        }

        await all;
        var wall = Stopwatch.GetElapsedTime(start);
        var latencies = writers.SelectMany(w => w.Latencies).Order().ToList();
        return new Run(latencies, wall, [.. writers.SelectMany(w => w.Failures)]);
    }

    private static async Task<string> JournalModeAsync(InProcessPortal portal) =>
        await portal.Data.StoredAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
        });

    private static void Progress(string line) => Console.Error.WriteLine($"  {line}");

    /// <summary>All saves of one run: their latencies (ms, ascending), the wall time, and what did not succeed.</summary>
    private sealed record Run(IReadOnlyList<double> Latencies, TimeSpan Wall, IReadOnlyList<string> Failures)
    {
        public int Saves => Latencies.Count;

        public double P50 => Percentile(Latencies, 50);

        public double P95 => Percentile(Latencies, 95);

        public double Max => Latencies[^1];

        /// <summary>The slowest save, and how many took more than a second.</summary>
        public string Tail => Invariant($"max {Milliseconds(Max)}; {Latencies.Count(l => l > 1000)} of {Saves} saves took more than 1 s");
    }

    /// <summary>
    /// One user typing in one element card: a manager of a plan of their own, with the card's state (the element's
    /// answers and the version the last save returned) and their own service scope, as a circuit has.
    /// </summary>
    private sealed class Writer : IDisposable
    {
        private const string Typed = "Eligibility policy reviewed with the program team; the referral workflow and the staffing plan are attached in the shared folder.";

        private readonly IServiceScope _scope;
        private readonly AssessmentService _assessments;
        private readonly ClaimsPrincipal _manager;
        private readonly Guid _assessmentId;
        private readonly Guid _elementResponseId;
        private readonly List<Guid> _criteria;
        private Dictionary<Guid, Answer> _answers;
        private Guid _version;
        private string _notes;
        private int _saveNumber;
        private int _done;
        private int _failed;

        private Writer(IServiceScope scope, ClaimsPrincipal manager, Guid assessmentId, ElementView element)
        {
            _scope = scope;
            _assessments = scope.ServiceProvider.GetRequiredService<AssessmentService>();
            _manager = manager;
            _assessmentId = assessmentId;
            _elementResponseId = element.ElementResponseId;
            _criteria = [.. element.Answers.Keys];
            _answers = new Dictionary<Guid, Answer>(element.Answers);
            _version = element.Version;
            _notes = element.EvidenceNotes;
        }

        public List<double> Latencies { get; } = [];

        public List<string> Failures { get; } = [];

        /// <summary>Saves finished (succeeded or not), readable while the writer runs.</summary>
        public int Done => Volatile.Read(ref _done);

        /// <summary>Saves that did not succeed, readable while the writer runs.</summary>
        public int Failed => Volatile.Read(ref _failed);

        /// <summary>A new plan with a manager and a draft assessment; the writer edits its first element that has criteria.</summary>
        public static async Task<Writer> ArrangeAsync(InProcessPortal portal, CancellationToken cancellationToken)
        {
            var plan = await portal.Data.PlanAsync();
            var manager = await portal.Data.UserAsync(plan);
            var assessment = await portal.Data.AssessmentAsync(plan);
            var scope = portal.Services.CreateScope();
            try
            {
                var view = (await scope.ServiceProvider.GetRequiredService<AssessmentService>().GetAsync(manager.Principal, assessment.Id, cancellationToken)).Value;
                if (!view.CanEdit)
                {
                    throw new InvalidOperationException($"The manager of {plan.Name} cannot edit its draft assessment: the saves would be refused.");
                }

                return new Writer(scope, manager.Principal, assessment.Id, view.Sections.SelectMany(s => s.Elements).First(e => e.Answers.Count > 0));
            }
            catch
            {
                scope.Dispose();
                throw;
            }
        }

        /// <summary>Drops what was recorded so far (warm-up saves).</summary>
        public void Forget()
        {
            Latencies.Clear();
            Failures.Clear();
            _done = 0;
            _failed = 0;
        }

        public async Task SaveRepeatedlyAsync(int saves, Task go, CancellationToken cancellationToken)
        {
            await go;
            for (var i = 0; i < saves; i++)
            {
                // Each save its own work item on the thread pool, as each autosave is its own event of its circuit.
                await Task.Yield();
                await SaveAsync(cancellationToken);
            }
        }

        /// <summary>One autosave as the card sends it; records its latency, and its failure if it did not succeed.</summary>
        public async Task SaveAsync(CancellationToken cancellationToken)
        {
            _saveNumber++;
            var criterion = _criteria[_saveNumber % _criteria.Count];
            var answers = new Dictionary<Guid, Answer>(_answers) { [criterion] = _answers[criterion] == Answer.Met ? Answer.NotMet : Answer.Met };
            var notes = Typed[..(10 + (_saveNumber % (Typed.Length - 10)))];
            var command = new SaveElementCommand
            {
                AssessmentId = _assessmentId,
                ElementResponseId = _elementResponseId,
                ExpectedVersion = _version,
                Answers = answers,
                EvidenceNotes = notes,
                EvidenceLinks = [],
                Priority = Priority.None,
            };

            string? failure = null;
            var threw = false;
            var start = Stopwatch.GetTimestamp();
            try
            {
                var outcome = await _assessments.SaveElementAsync(_manager, command, cancellationToken);
                Latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                if (outcome.Succeeded)
                {
                    (_version, _answers, _notes) = (outcome.Value.Version, answers, notes);
                }
                else
                {
                    failure = $"{outcome.Failure!.GetType().Name}: {outcome.Message}";
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The operation's transaction rolled back: the stored element is still the one of the last successful save.
                Latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                failure = Describe(e);
                threw = true;
            }

            Interlocked.Increment(ref _done);
            if (failure is not null)
            {
                Interlocked.Increment(ref _failed);
                Failures.Add(failure);
                Progress(Invariant($"save failed after {Latencies[^1]:N0} ms: {failure}"));
                if (!threw)
                {
                    await ReloadAsync(cancellationToken);
                }
            }
        }

        /// <summary>After a refused save (a conflict, say), the card's state as stored, as the user would reload the page.</summary>
        private async Task ReloadAsync(CancellationToken cancellationToken)
        {
            try
            {
                var element = await StoredElementAsync(cancellationToken);
                (_version, _answers, _notes) = (element.Version, new Dictionary<Guid, Answer>(element.Answers), element.EvidenceNotes);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failures.Add($"reading the element again after a refused save: {Describe(e)}");
            }
        }

        public async Task<bool> ReadsBackAsLastSavedAsync(CancellationToken cancellationToken)
        {
            var element = await StoredElementAsync(cancellationToken);
            // The domain trims the notes; the answers are the card's, criterion by criterion.
            return element.Version == _version
                   && element.EvidenceNotes == _notes.Trim()
                   && _answers.All(a => element.Answers.GetValueOrDefault(a.Key) == a.Value);
        }

        private async Task<ElementView> StoredElementAsync(CancellationToken cancellationToken) =>
            (await _assessments.GetAsync(_manager, _assessmentId, cancellationToken)).Value
                .Sections.SelectMany(s => s.Elements).Single(e => e.ElementResponseId == _elementResponseId);

        /// <summary>
        /// Where it failed (saving the changes, or one of the operation's queries) and SQLite's error codes when SQLite
        /// raised it (SQLITE_BUSY is 5, SQLITE_LOCKED 6); otherwise the exception's type and message.
        /// </summary>
        private static string Describe(Exception e)
        {
            for (var inner = e; inner is not null; inner = inner.InnerException)
            {
                if (inner is SqliteException sqlite)
                {
                    var where = e is DbUpdateException ? "saving the changes"
                        : e.StackTrace?.Contains("QueryingEnumerable", StringComparison.Ordinal) == true ? "in a query"
                        : e.GetType().Name;
                    return Invariant($"SQLite error {sqlite.SqliteErrorCode} (extended {sqlite.SqliteExtendedErrorCode}) {where}: {sqlite.Message.TrimEnd('.')}");
                }
            }

            return $"{e.GetType().Name}: {e.Message.TrimEnd('.')}";
        }

        public void Dispose() => _scope.Dispose();
    }
}
