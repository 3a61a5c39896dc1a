using PalliativeToolkit.Web.Features.Live;

namespace PalliativeToolkit.Web.Features.Partners;

/// <summary>
/// Tells the open pages that show an organization's shared work (a plan's partner page showing a provider's readiness)
/// that what it shares changed: a share given or revoked. The pages read again, through the access filters, so a revoked
/// share disappears at once. Several instances need an implementation over a shared message bus (docs/deployment.md).
/// </summary>
public interface ISharingSignals
{
    /// <summary>What <paramref name="ownerOrganizationId"/> shares changed.</summary>
    void Tell(Guid ownerOrganizationId);

    IDisposable Listen(Guid ownerOrganizationId, Func<Task> onSignal);
}

/// <summary><see cref="ISharingSignals"/> within one process.</summary>
public sealed class InProcessSharingSignals(ILogger<InProcessSharingSignals> logger) : InProcessSignals<Guid>(logger), ISharingSignals;
