using System.Runtime.CompilerServices;
using Bunit;

namespace PalliativeToolkit.Web.Tests;

/// <summary>
/// bUnit waits (WaitForAssertion, WaitForElement) give up after one second by default. The components here render after
/// database work, and the test projects run side by side, browsers included: on a loaded machine a second is short.
/// A wait ends as soon as its condition holds, so a longer limit costs nothing when all is well.
/// </summary>
internal static class BunitDefaults
{
    [ModuleInitializer]
    internal static void Initialize() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(20);
}
