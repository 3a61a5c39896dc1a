using Microsoft.Extensions.Options;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Features.Community;

/// <summary>
/// Reminds registrants of the events that start within <see cref="CommunityOptions.ReminderHours"/>, through the
/// notifications (in-app, email or digest, as each person chose). On several instances each may look; a reminder goes
/// once, because each registration is claimed by one conditional update before its reminder is written.
/// </summary>
public sealed class EventReminderWorker(Notifier notifier, IOptions<CommunityOptions> options, TimeProvider time, ILogger<EventReminderWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CheckMinutes), time);
        do
        {
            try
            {
                await notifier.EventRemindersAsync(TimeSpan.FromHours(options.Value.ReminderHours), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Event reminders failed a round; the next round tries again");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
