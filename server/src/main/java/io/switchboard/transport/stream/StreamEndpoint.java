package io.switchboard.transport.stream;

import io.switchboard.codec.ClientCodec;
import io.switchboard.codec.json.JsonCodec;
import io.switchboard.codec.protobuf.ProtobufCodec;
import io.switchboard.transport.Codecs;
import io.switchboard.transport.TransportAcceptor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * {@code /connection/http_stream} and {@code /connection/sse} of one event loop, as Centrifugo serves them. The
 * request carries the connect command (HTTP-streaming: the POST body, in the codec the Content-Type names;
 * SSE: the {@code cf_connect} query parameter of a GET, or a POST body; JSON only); the response streams the
 * session's replies and pushes until either side ends it. Each accepted request becomes a
 * {@link StreamTransport} with a fresh emulation session id, handed to the loop's {@link TransportAcceptor}.
 */
final class StreamEndpoint {
  private static final String CACHE_CONTROL = "private, no-cache, no-store, must-revalidate, max-age=0";

  private final ClientRequests requests;
  private final TransportAcceptor acceptor;
  private final BooleanSupplier draining;

  StreamEndpoint(ClientRequests requests, TransportAcceptor acceptor, BooleanSupplier draining) {
    this.requests = requests;
    this.acceptor = acceptor;
    this.draining = draining;
  }

  void httpStream(HttpServerRequest req) {
    if (!requests.admit(req, "POST, OPTIONS")) {
      return;
    }
    if (req.method() != HttpMethod.POST) {
      ClientRequests.end(req, 405);
      return;
    }
    ClientCodec codec = codecOf(req);
    if (codec == null) {
      ClientRequests.end(req, 400);
      return;
    }
    requests.body(req, body -> open(req, codec, codec.binary() ? StreamFraming.BINARY : StreamFraming.LINES, body));
  }

  void sse(HttpServerRequest req) {
    if (!requests.admit(req, "GET, POST, OPTIONS")) {
      return;
    }
    if (req.method() == HttpMethod.GET) {
      String connect = req.getParam("cf_connect");
      open(req, JsonCodec.INSTANCE, StreamFraming.EVENTS, connect == null ? Buffer.buffer() : Buffer.buffer(connect));
    } else if (req.method() == HttpMethod.POST) {
      requests.body(req, body -> open(req, JsonCodec.INSTANCE, StreamFraming.EVENTS, body));
    } else {
      ClientRequests.end(req, 405);
    }
  }

  /**
   * The codec of an HTTP-streaming request: centrifuge-js's Protobuf build says {@code Content-Type:
   * application/octet-stream} (as Centrifugo reads it); {@code ?cf_protocol=} is also read. Null: none we speak.
   */
  static ClientCodec codecOf(HttpServerRequest req) {
    String type = req.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.startsWith("application/octet-stream")) {
      return ProtobufCodec.INSTANCE;
    }
    return Codecs.select(req.query(), false);
  }

  private void open(HttpServerRequest req, ClientCodec codec, StreamFraming framing, Buffer connect) {
    if (draining.getAsBoolean()) {
      ClientRequests.end(req, 503);
      return;
    }
    if (connect.length() == 0) {
      ClientRequests.end(req, 400); // no connect command
      return;
    }
    HttpServerResponse res = req.response().setChunked(true)
        .putHeader("X-Accel-Buffering", "no") // nginx: pass each write on at once
        .putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL)
        .putHeader("Pragma", "no-cache")
        .putHeader("Expire", "0");
    if (req.version() != HttpVersion.HTTP_2) {
      res.putHeader(HttpHeaders.CONNECTION, "keep-alive");
    }
    if (framing == StreamFraming.EVENTS) {
      res.putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8");
      res.write("\r\n"); // sends the headers: EventSource opens
    } else {
      res.putHeader(HttpHeaders.CONTENT_TYPE, codec.binary() ? "application/octet-stream" : "application/json");
      res.writeHead(); // fetch resolves: the client counts the transport as open
    }
    acceptor.accept(new StreamTransport(req, codec, framing, UUID.randomUUID().toString(), connect), codec);
  }
}
