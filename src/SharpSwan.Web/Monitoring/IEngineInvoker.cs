using SharpSwan.Gateway.DataPlane;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Web.Monitoring;

/// <summary>
/// Runs a function on the engine thread with the data plane at hand: the running gateway's
/// <see cref="SharpSwan.Gateway.Hosting.GatewayService.InvokeOnEngineAsync{T}"/>, or an engine loop of its own in tests.
/// </summary>
public interface IEngineInvoker
{
    Task<T> InvokeAsync<T>(Func<IkeEngine, EspDataPlane, T> function);
}
