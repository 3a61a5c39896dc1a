using System.Net;
using System.Net.Sockets;

namespace PalliativeToolkit.Web.Infrastructure;

/// <summary>
/// The client a limit counts: its IPv4 address, or the /64 network of an IPv6 address (one home or office is given a
/// whole /64, so counting single IPv6 addresses would let one client take a new address for every try). The address is
/// the one the forwarded headers of configured proxies name, never one a client claims for itself.
/// </summary>
public static class ClientKey
{
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Of(context.Connection.RemoteIpAddress);
    }

    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
