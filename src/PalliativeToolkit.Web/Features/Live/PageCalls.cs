namespace PalliativeToolkit.Web.Features.Live;

/// <summary>How the in-process live implementations call the pages that listen: on their own task, a failure logged, never thrown.</summary>
internal static class PageCalls
{
    public static void Fire(ILogger logger, Func<Task> handler) =>
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

    /// <summary>Runs <paramref name="stop"/> the first time it is disposed, and never again.</summary>
    public static IDisposable Once(Action stop) => new Stop(stop);

    private sealed class Stop(Action stop) : IDisposable
    {
        private int _stopped;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _stopped, 1) == 0)
            {
                stop();
            }
        }
    }
}
