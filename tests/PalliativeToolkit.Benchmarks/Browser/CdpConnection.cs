using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PalliativeToolkit.Benchmarks.Browser;

/// <summary>
/// One Chrome DevTools Protocol websocket: numbered commands whose answers may come back in any order.
/// Events are read and dropped; the benchmarks only need commands.
/// </summary>
internal sealed class CdpConnection : IAsyncDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private readonly ClientWebSocket _socket = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private Task _receiving = Task.CompletedTask;
    private int _lastId;

    private CdpConnection()
    {
    }

    public static async Task<CdpConnection> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        var connection = new CdpConnection();
        try
        {
            await connection._socket.ConnectAsync(endpoint, cancellationToken);
            connection._receiving = connection.ReceiveAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends <paramref name="method"/> (to a page when <paramref name="sessionId"/> is set) and returns its <c>result</c>.</summary>
    public async Task<JsonElement> SendAsync(string method, object? parameters, string? sessionId, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            var message = new JsonObject { ["id"] = id, ["method"] = method };
            if (parameters is not null)
            {
                message["params"] = JsonSerializer.SerializeToNode(parameters, Json);
            }

            if (sessionId is not null)
            {
                message["sessionId"] = sessionId;
            }

            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
            await _sending.WaitAsync(cancellationToken);
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _sending.Release();
            }

            return await answer.Task.WaitAsync(DefaultTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Chromium did not answer {method} within {DefaultTimeout.TotalSeconds:0} s.");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer.AsMemory(), _closing.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (received.EndOfMessage)
                {
                    Dispatch(message.GetBuffer().AsMemory(0, (int)message.Length));
                    message.SetLength(0);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // closing
        }
        catch (WebSocketException)
        {
            // Chromium went away; the commands still waiting fail below
        }
        finally
        {
            foreach (var answer in _pending.Values)
            {
                answer.TrySetException(new IOException("The DevTools connection to Chromium closed."));
            }
        }
    }

    private void Dispatch(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("id", out var id) || !_pending.TryGetValue(id.GetInt32(), out var answer))
        {
            return; // an event
        }

        if (root.TryGetProperty("error", out var error))
        {
            answer.TrySetException(new CdpException(error.TryGetProperty("message", out var text) ? text.GetString() ?? "unknown error" : error.GetRawText()));
        }
        else
        {
            answer.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _sending.Dispose();
        _closing.Dispose();
    }
}

/// <summary>Chromium answered a DevTools command with an error.</summary>
internal sealed class CdpException : Exception
{
    public CdpException()
    {
    }

    public CdpException(string message)
        : base(message)
    {
    }

    public CdpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
