using System.Collections.Concurrent;

namespace PalliativeToolkit.Web.Features.Live;

/// <summary>
/// <see cref="IAssessmentLive"/> within one process: pages that joined an assessment are called directly. A slow or failing
/// page never delays the one that published, nor the others: each handler runs on its own task and its failure is logged.
/// </summary>
public sealed class InProcessAssessmentLive(ILogger<InProcessAssessmentLive> logger) : IAssessmentLive
{
    private readonly ConcurrentDictionary<Guid, Room> _rooms = new();

    public void Publish(AssessmentChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!_rooms.TryGetValue(change.AssessmentId, out var room))
        {
            return;
        }

        foreach (var page in room.Pages())
        {
            Dispatch(() => page.OnChange(change));
        }
    }

    public IDisposable Join(Guid assessmentId, PresentUser user, Func<AssessmentChange, Task> onChange, Func<IReadOnlyList<PresentUser>, Task> onPresence)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(onChange);
        ArgumentNullException.ThrowIfNull(onPresence);
        var page = new Page(user, onChange, onPresence);
        var room = _rooms.GetOrAdd(assessmentId, _ => new Room());
        room.Add(page);
        TellPresence(assessmentId, room);
        return new Leave(() =>
        {
            room.Remove(page);
            TellPresence(assessmentId, room);
        });
    }

    public IReadOnlyList<PresentUser> Present(Guid assessmentId) =>
        _rooms.TryGetValue(assessmentId, out var room) ? room.People() : [];

    private void TellPresence(Guid assessmentId, Room room)
    {
        var people = room.People();
        foreach (var page in room.Pages())
        {
            Dispatch(() => page.OnPresence(people));
        }

        if (people.Count == 0)
        {
            // An empty room is dropped, unless a page joined it in the meantime.
            _rooms.TryRemove(new KeyValuePair<Guid, Room>(assessmentId, room));
            if (!room.IsEmpty)
            {
                _rooms.TryAdd(assessmentId, room);
            }
        }
    }

    private void Dispatch(Func<Task> handler) =>
        _ = Task.Run(async () =>
        {
            try
            {
                await handler();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A page did not take a live update");
            }
        });

    private sealed record Page(PresentUser User, Func<AssessmentChange, Task> OnChange, Func<IReadOnlyList<PresentUser>, Task> OnPresence);

    private sealed class Room
    {
        private readonly Lock _gate = new();
        private readonly List<Page> _pages = [];

        public bool IsEmpty
        {
            get
            {
                lock (_gate)
                {
                    return _pages.Count == 0;
                }
            }
        }

        public void Add(Page page)
        {
            lock (_gate)
            {
                _pages.Add(page);
            }
        }

        public void Remove(Page page)
        {
            lock (_gate)
            {
                _pages.Remove(page);
            }
        }

        public Page[] Pages()
        {
            lock (_gate)
            {
                return [.. _pages];
            }
        }

        public IReadOnlyList<PresentUser> People()
        {
            lock (_gate)
            {
                return _pages.Select(p => p.User).DistinctBy(u => u.UserId).OrderBy(u => u.DisplayName, StringComparer.CurrentCulture).ToList();
            }
        }
    }

    private sealed class Leave(Action leave) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                leave();
            }
        }
    }
}
