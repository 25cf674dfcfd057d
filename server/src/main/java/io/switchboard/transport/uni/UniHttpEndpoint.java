package io.switchboard.transport.uni;

import io.switchboard.codec.json.UniJsonCodec;
import io.switchboard.transport.OriginCheck;
import io.switchboard.transport.TransportAcceptor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The unidirectional HTTP endpoints of one event loop's listener, as Centrifugo serves them:
 * <ul>
 *   <li>{@code /connection/uni_sse}: Server-Sent Events for a plain {@code EventSource}; the connect request
 *       is the {@code cf_connect} query parameter of a GET (none: an empty request), or the body of a POST;
 *   <li>{@code /connection/uni_http_stream}: a POST whose body is the connect request, answered with
 *       newline-delimited JSON pushes.
 * </ul>
 * A malformed connect request is 400, one over {@code client.max_message_bytes} 413, another method 405, a
 * browser origin that is not allowed 403; an allowed one gets CORS headers. Everything after that (a bad token
 * included) is the session's answer, inside the 200 stream: a {@code connect} push or a {@code disconnect} push.
 *
 * <p>While the node drains, a new stream gets only {@code disconnect} 3001 (shutdown), in a 200 response, not a
 * 503: an {@code EventSource} gives up for good on any status but 200, and retries (elsewhere) after a stream
 * that ended.
 */
public final class UniHttpEndpoint {
  public static final String SSE_PATH = "/connection/uni_sse";
  public static final String STREAM_PATH = "/connection/uni_http_stream";

  private final boolean sse;
  private final boolean stream;
  private final OriginCheck origins;
  private final int maxConnectBytes;
  private final TransportAcceptor acceptor;
  private final BooleanSupplier draining;

  /** @param draining whether the node is draining (new streams are told to go elsewhere) */
  public UniHttpEndpoint(boolean sse, boolean stream, OriginCheck origins, int maxConnectBytes,
      TransportAcceptor acceptor, BooleanSupplier draining) {
    this.sse = sse;
    this.stream = stream;
    this.origins = origins;
    this.maxConnectBytes = maxConnectBytes;
    this.acceptor = acceptor;
    this.draining = draining;
  }

  /** Whether a request for {@code path} is for an enabled endpoint of this class. */
  public boolean serves(String path) {
    return (sse && matches(path, SSE_PATH)) || (stream && matches(path, STREAM_PATH));
  }

  private static boolean matches(String path, String endpoint) {
    return endpoint.equals(path) || (path.length() == endpoint.length() + 1 && path.startsWith(endpoint)
        && path.endsWith("/"));
  }

  /** Handles a request for which {@link #serves} is true; on the request's event loop. */
  public void handle(HttpServerRequest req) {
    HttpServerResponse resp = req.response();
    String origin = req.getHeader("Origin");
    if (!origins.allows(origin, req.getHeader("Host"))) {
      refuse(req, 403, "origin not allowed");
      return;
    }
    if (origin != null && !origin.isEmpty()) {
      resp.putHeader("Access-Control-Allow-Origin", origin).putHeader("Access-Control-Allow-Credentials", "true")
          .putHeader("Vary", "Origin");
      String asked = req.getHeader("Access-Control-Request-Headers");
      if (asked != null && !asked.isEmpty() && !asked.equals("null")) {
        resp.putHeader("Access-Control-Allow-Headers", asked);
      }
    }
    boolean isSse = matches(req.path(), SSE_PATH);
    HttpMethod method = req.method();
    if (method == HttpMethod.OPTIONS) {
      resp.setStatusCode(204).putHeader("Access-Control-Max-Age", "300")
          .putHeader("Access-Control-Allow-Methods", isSse ? "GET, POST, OPTIONS" : "POST, OPTIONS").end();
    } else if (method == HttpMethod.POST) {
      readBody(req, isSse);
    } else if (method == HttpMethod.GET && isSse) {
      String connect = ConnectRequests.fromQuery(req.query());
      start(req, UniHttpTransport.Framing.SSE, connect == null ? "{}" : connect);
    } else {
      resp.putHeader("Allow", isSse ? "GET, POST, OPTIONS" : "POST, OPTIONS");
      refuse(req, 405, "method not allowed");
    }
  }

  /** Reads a POST body of at most {@code maxConnectBytes} (413 past it), then starts the stream. */
  private void readBody(HttpServerRequest req, boolean isSse) {
    String length = req.getHeader("Content-Length");
    if (length != null && !length.isEmpty() && tooLong(length)) {
      refuse(req, 413, "connect request too large");
      return;
    }
    Buffer body = Buffer.buffer();
    req.handler(chunk -> {
      if (req.response().ended()) {
        return; // refused already: the rest is drained and dropped
      }
      if (body.length() + chunk.length() > maxConnectBytes) {
        refuse(req, 413, "connect request too large");
        return;
      }
      body.appendBuffer(chunk);
    });
    req.endHandler(v -> {
      if (!req.response().ended()) {
        start(req, isSse ? UniHttpTransport.Framing.SSE : UniHttpTransport.Framing.LINES,
            body.toString(StandardCharsets.UTF_8));
      }
    });
  }

  private boolean tooLong(String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > maxConnectBytes;
    } catch (NumberFormatException e) {
      return false; // Vert.x's HTTP decoder has its say on a malformed length
    }
  }

  private void start(HttpServerRequest req, UniHttpTransport.Framing framing, String connect) {
    if (ConnectRequests.tooBig(connect, maxConnectBytes)) {
      refuse(req, 413, "connect request too large");
    } else if (!ConnectRequests.valid(connect)) {
      refuse(req, 400, "invalid connect request");
    } else if (draining.getAsBoolean()) {
      UniHttpTransport.goAway(req, framing);
    } else {
      acceptor.accept(new UniHttpTransport(req, framing, connect), UniJsonCodec.INSTANCE);
    }
  }

  /** A plain-text refusal; the connection closes after a 413 so an unread body does not linger on it. */
  private static void refuse(HttpServerRequest req, int status, String why) {
    HttpServerResponse resp = req.response();
    resp.setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8");
    if (status == 413) {
      resp.putHeader("Connection", "close");
      resp.end(why).onComplete(ar -> req.connection().close());
    } else {
      resp.end(why);
    }
  }
}
