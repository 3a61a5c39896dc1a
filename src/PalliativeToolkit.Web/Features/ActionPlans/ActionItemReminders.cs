using Microsoft.Extensions.Options;
using PalliativeToolkit.Web.Features.Common;
using PalliativeToolkit.Web.Features.Notifications;

namespace PalliativeToolkit.Web.Features.ActionPlans;

/// <summary>The <c>ActionPlans</c> configuration section.</summary>
public sealed class ActionPlanOptions
{
    public const string SectionName = "ActionPlans";

    /// <summary>How many days before its due date an item's owner is reminded (once per due date; overdue items too).</summary>
    public int ReminderDays { get; set; } = 7;

    /// <summary>How often the worker looks for items due.</summary>
    public int CheckMinutes { get; set; } = 60;
}

/// <summary>
/// Reminds owners of action items due soon, through the notifications (in-app, email or digest, as each person chose).
/// On several instances each may look; a reminder goes once, because marking the item reminded and writing the
/// notification are one save guarded by the item's version.
/// </summary>
public sealed class ActionItemReminderWorker(Notifier notifier, IOptions<ActionPlanOptions> options, TimeProvider time, ILogger<ActionItemReminderWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CheckMinutes), time);
        do
        {
            try
            {
                await notifier.ActionItemsDueAsync(CaliforniaTime.Today(time), options.Value.ReminderDays, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Action item reminders failed a round; the next round tries again");
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
