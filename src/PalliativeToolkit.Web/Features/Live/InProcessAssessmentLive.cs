namespace PalliativeToolkit.Web.Features.Live;

/// <summary>
/// <see cref="IAssessmentLive"/> within one process: pages that joined an assessment are called directly. A slow or failing
/// page never delays the one that published, nor the others: each handler runs on its own task and its failure is logged.
/// </summary>
public sealed class InProcessAssessmentLive(ILogger<InProcessAssessmentLive> logger) : IAssessmentLive
{
    // One lock for the rooms and their pages: joining, leaving and dropping an empty room never interleave (a page
    // cannot join a room that is being dropped). Publishing copies the pages under it and calls them outside it.
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<Page>> _rooms = [];

    public void Publish(AssessmentChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        foreach (var page in Pages(change.AssessmentId))
        {
            PageCalls.Fire(logger, () => page.OnChange(change));
        }
    }

    public IDisposable Join(Guid assessmentId, PresentUser user, Func<AssessmentChange, Task> onChange, Func<IReadOnlyList<PresentUser>, Task> onPresence)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(onChange);
        ArgumentNullException.ThrowIfNull(onPresence);
        var page = new Page(user, onChange, onPresence);
        lock (_gate)
        {
            if (!_rooms.TryGetValue(assessmentId, out var room))
            {
                _rooms[assessmentId] = room = [];
            }

            room.Add(page);
        }

        TellPresence(assessmentId);
        return PageCalls.Once(() =>
        {
            lock (_gate)
            {
                if (_rooms.TryGetValue(assessmentId, out var room) && room.Remove(page) && room.Count == 0)
                {
                    _rooms.Remove(assessmentId);
                }
            }

            TellPresence(assessmentId);
        });
    }

    public IReadOnlyList<PresentUser> Present(Guid assessmentId)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(assessmentId, out var room) ? People(room) : [];
        }
    }

    private Page[] Pages(Guid assessmentId)
    {
        lock (_gate)
        {
            return _rooms.TryGetValue(assessmentId, out var room) ? [.. room] : [];
        }
    }

    private static List<PresentUser> People(List<Page> room) =>
        room.Select(p => p.User).DistinctBy(u => u.UserId).OrderBy(u => u.DisplayName, StringComparer.CurrentCulture).ToList();

    private void TellPresence(Guid assessmentId)
    {
        IReadOnlyList<PresentUser> people;
        Page[] pages;
        lock (_gate)
        {
            if (!_rooms.TryGetValue(assessmentId, out var room))
            {
                return;
            }

            people = People(room);
            pages = [.. room];
        }

        foreach (var page in pages)
        {
            PageCalls.Fire(logger, () => page.OnPresence(people));
        }
    }

    private sealed record Page(PresentUser User, Func<AssessmentChange, Task> OnChange, Func<IReadOnlyList<PresentUser>, Task> OnPresence);
}
