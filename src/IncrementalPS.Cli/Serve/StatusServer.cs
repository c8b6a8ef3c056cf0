using System;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// The HTTP side of <c>incps serve</c>: read-only (GET and HEAD), answering from <see cref="DashboardSource"/>'s
/// snapshot, so a request never reads a checkpoint itself. With a token, every path needs it, the page included.
/// </summary>
internal sealed class StatusServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ListenAddress _address;
    private readonly AccessToken? _token;
    private readonly DashboardSource _source;
    private readonly StatusPage _page = StatusPage.Load();

    public StatusServer(ListenAddress address, AccessToken? token, DashboardSource source)
    {
        _address = address;
        _token = token;
        _source = source;
        foreach (var prefix in address.Prefixes)
        {
            _listener.Prefixes.Add(prefix);
        }
    }

    /// <summary>Starts listening.</summary>
    /// <exception cref="UsageException">The address cannot be listened on (in use, not this machine's, not allowed).</exception>
    public void Start()
    {
        try
        {
            _listener.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new UsageException($"cannot listen on {_address.Host}:{_address.Port}: {ex.Message}. Choose another port with --listen.");
        }
    }

    /// <summary>Answers requests until <paramref name="cancellation"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        using var stop = cancellation.Register(_listener.Stop);
        while (!cancellation.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (cancellation.IsCancellationRequested && ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Stop() ends the pending wait this way: the server was asked to stop.
                return;
            }

            _ = Task.Run(() => Answer(context), CancellationToken.None);
        }
    }

    public void Dispose() => ((IDisposable)_listener).Dispose();

    private void Answer(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            Route(context.Request, response);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or System.IO.IOException)
        {
            // The browser went away mid-answer; nothing to tell it.
        }
        catch (Exception ex)
        {
            // A bug in incps: this request fails, loudly, and the server goes on answering the others.
            CliConsole.Error($"incps serve failed to answer {context.Request.Url?.AbsolutePath}; please report this.{Environment.NewLine}{ex}");
            TryFail(context.Request, response);
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or System.IO.IOException)
            {
                // Likewise: the connection is already gone.
            }
        }
    }

    private void Route(HttpListenerRequest request, HttpListenerResponse response)
    {
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cache-Control"] = "no-store";
        response.Headers["X-Frame-Options"] = "DENY";
        if (_token is not null && !_token.Admits(request))
        {
            response.Headers["WWW-Authenticate"] = "Bearer";
            Text(request, response, 401, "a token is required: send 'Authorization: Bearer <token>', or open the page as /?token=<token>.");
            return;
        }

        if (request.HttpMethod is not ("GET" or "HEAD"))
        {
            response.Headers["Allow"] = "GET, HEAD";
            Text(request, response, 405, "incps serve is read-only: GET and HEAD only.");
            return;
        }

        switch (request.Url?.AbsolutePath)
        {
            case "/":
            case "/index.html":
                response.Headers["Content-Security-Policy"] = _page.ContentSecurityPolicy;
                Send(request, response, 200, "text/html; charset=utf-8", _page.Html);
                break;
            case "/api/checkpoints":
                var snapshot = _source.Current();
                if (snapshot.Checkpoints is { } list)
                {
                    Send(request, response, 200, "application/json; charset=utf-8", list);
                }
                else
                {
                    Text(request, response, 503, "cannot read the store: " + snapshot.StoreError);
                }

                break;
            case "/metrics":
                var current = _source.Current();
                if (current.Metrics is { } metrics)
                {
                    Send(request, response, 200, PrometheusText.ContentType, metrics);
                }
                else
                {
                    Text(request, response, 503, "cannot read the store: " + current.StoreError);
                }

                break;
            case "/api/dashboard":
                Send(request, response, 200, "application/json; charset=utf-8", _source.Current().Dashboard);
                break;
            default:
                Text(request, response, 404, "not found: the page is /, the API /api/checkpoints, Prometheus metrics /metrics.");
                break;
        }
    }

    private static void TryFail(HttpListenerRequest request, HttpListenerResponse response)
    {
        try
        {
            Text(request, response, 500, "incps serve failed to answer; its console says why.");
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException or System.IO.IOException)
        {
            // Part of an answer was already sent, or the browser went away: the console has the error.
        }
    }

    private static void Text(HttpListenerRequest request, HttpListenerResponse response, int status, string message)
        => Send(request, response, status, "text/plain; charset=utf-8", new UTF8Encoding(false).GetBytes(message + "\n"));

    private static void Send(HttpListenerRequest request, HttpListenerResponse response, int status, string contentType, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        if (request.HttpMethod != "HEAD")
        {
            response.OutputStream.Write(body, 0, body.Length);
        }
    }
}
