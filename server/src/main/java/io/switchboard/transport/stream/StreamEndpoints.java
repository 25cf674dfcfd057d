package io.switchboard.transport.stream;

import io.switchboard.transport.OriginCheck;
import io.switchboard.transport.TransportAcceptor;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.BooleanSupplier;

/**
 * The HTTP-streaming, SSE and emulation endpoints of one event loop's listener. Streams are refused with 503
 * while the node drains; emulation requests are not (the sessions still open need them). A disabled transport's
 * path is not served here (the router answers 404); {@code /emulation} is served while either is on.
 */
public final class StreamEndpoints {
  public static final String HTTP_STREAM = "/connection/http_stream";
  public static final String SSE = "/connection/sse";
  public static final String EMULATION = "/emulation";

  /** The node-wide settings: which transports are on, the body limit, the origin rule, the session router. */
  public record Settings(boolean httpStream, boolean sse, int maxBodyBytes, OriginCheck origins,
      EmulationRouter router) {}

  private final Settings settings;
  private final StreamEndpoint streams;
  private final EmulationEndpoint emulation;

  public StreamEndpoints(Settings settings, TransportAcceptor acceptor, BooleanSupplier draining) {
    this.settings = settings;
    ClientRequests requests = new ClientRequests(settings.origins(), settings.maxBodyBytes());
    this.streams = new StreamEndpoint(requests, acceptor, draining);
    this.emulation = new EmulationEndpoint(requests, settings.router());
  }

  /**
   * The listener's settings for these endpoints: the request line may carry SSE's {@code cf_connect} (a connect
   * command up to {@code client.max_message_bytes}, URL-encoded).
   */
  public static HttpServerOptions configure(HttpServerOptions options, int maxMessageBytes) {
    long line = Math.min(1L << 20, 3L * maxMessageBytes + 1024);
    return options.setMaxInitialLineLength((int) Math.max(HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH, line));
  }

  /** Serves {@code req} if it is for one of these endpoints (and that one is on); false: not ours. */
  public boolean handle(HttpServerRequest req) {
    String path = strip(req.path());
    if (settings.httpStream() && HTTP_STREAM.equals(path)) {
      streams.httpStream(req);
    } else if (settings.sse() && SSE.equals(path)) {
      streams.sse(req);
    } else if ((settings.httpStream() || settings.sse()) && EMULATION.equals(path)) {
      emulation.handle(req);
    } else {
      return false;
    }
    return true;
  }

  private static String strip(String path) {
    return path != null && path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }
}
