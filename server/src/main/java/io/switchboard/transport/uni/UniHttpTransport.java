package io.switchboard.transport.uni;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ByteProcessor;
import io.switchboard.codec.json.UniJsonCodec;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A unidirectional connection over one long HTTP response (uni_sse, uni_http_stream): a {@link Transport} whose
 * only inbound message is the connect request the endpoint already read (from {@code cf_connect} or the body),
 * handed to the session as if it had just arrived. Each outbound message (one push) becomes one SSE event
 * ({@code data: <json>}, blank line) or one line of newline-delimited JSON. Closing ends the response; the
 * session has written its {@code disconnect} push before that. Back-pressure is the response's write queue.
 *
 * <p>Each push is its own chunked write (the codec never joins them), so a burst costs one small write each;
 * fine for notification traffic, and it keeps one push per event, which is what an {@code EventSource} needs.
 */
final class UniHttpTransport implements Transport, Handler<Object> {

  /** How a push is framed in the response body. */
  enum Framing {
    /** {@code text/event-stream}: {@code data: <push>\n\n} per push (a line break in it starts another data line). */
    SSE("text/event-stream; charset=utf-8", "\r\n"),
    /** Newline-delimited JSON: {@code <push>\n} per push. */
    LINES("text/plain; charset=utf-8", null);

    final String contentType;
    /** Written right after the headers, so a client sees the stream open before the first push; or null. */
    final String preamble;

    Framing(String contentType, String preamble) {
      this.contentType = contentType;
      this.preamble = preamble;
    }
  }

  private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EVENT_END = {'\n', '\n'};
  private static final byte[] LINE_END = {'\n'};

  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Framing framing;
  private String connect;
  private InboundHandler inbound;
  private boolean closed;

  UniHttpTransport(HttpServerRequest request, Framing framing, String connect) {
    this.request = request;
    this.response = request.response();
    this.framing = framing;
    this.connect = connect;
  }

  @Override
  public void start(InboundHandler inbound) {
    this.inbound = inbound;
    response.closeHandler(v -> handle(null));
    response.exceptionHandler(this::handle);
    open(response, framing);
    String c = connect;
    connect = null;
    inbound.onText(c);
  }

  /** Starts the stream: status 200, headers, and the framing's preamble. */
  private static void open(HttpServerResponse response, Framing framing) {
    response.setChunked(true)
        .putHeader("Content-Type", framing.contentType)
        .putHeader("Cache-Control", "private, no-cache, no-store, must-revalidate, max-age=0")
        .putHeader("Pragma", "no-cache")
        .putHeader("Expires", "0")
        .putHeader("X-Accel-Buffering", "no"); // nginx: pass each push on at once, don't buffer the stream
    if (framing.preamble != null) {
      response.write(framing.preamble);
    } else {
      response.writeHead();
    }
  }

  /** A stream that says only {@code disconnect} 3001 (the node is shutting down), with no session behind it. */
  static void goAway(HttpServerRequest request, Framing framing) {
    HttpServerResponse response = request.response();
    open(response, framing);
    byte[] push = UniJsonCodec.INSTANCE.disconnectPush(DisconnectCode.SHUTDOWN.code, DisconnectCode.SHUTDOWN.reason,
        true);
    response.write(BufferInternal.buffer(framed(framing, Unpooled.wrappedBuffer(push))));
    response.end().eventually(() -> request.connection().close());
  }

  /** The response's close (null: the peer went away or the connection broke) and exception events. */
  @Override
  public void handle(Object event) {
    if (event instanceof Throwable t) {
      inbound.onError(t);
    } else if (!closed) {
      closed = true;
      inbound.onClosed();
    }
  }

  @Override
  public void write(ByteBuf message) {
    if (closed) {
      return;
    }
    response.write(BufferInternal.buffer(framed(framing, message)));
  }

  private static ByteBuf framed(Framing framing, ByteBuf message) {
    return switch (framing) {
      case SSE -> sseEvent(message);
      case LINES -> Unpooled.wrappedBuffer(message, Unpooled.wrappedBuffer(LINE_END));
    };
  }

  /**
   * One SSE event carrying {@code message}. A push is one line of JSON, but a line break inside it (JSON
   * allows them between tokens, and data is embedded as published) would end the field early: each line
   * then gets its own {@code data:} field, which the client joins back with the line break.
   */
  static ByteBuf sseEvent(ByteBuf message) {
    if (message.forEachByte(ByteProcessor.FIND_CRLF) < 0) {
      return Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(DATA), message, Unpooled.wrappedBuffer(EVENT_END));
    }
    String text = message.toString(StandardCharsets.UTF_8);
    StringBuilder event = new StringBuilder(text.length() + 16);
    for (String line : text.split("\r\n|\r|\n", -1)) {
      event.append("data: ").append(line).append('\n');
    }
    event.append('\n');
    return Unpooled.wrappedBuffer(event.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    response.drainHandler(v -> onDrain.run());
  }

  /**
   * Ends the response (the code and reason went out in the session's disconnect push), then closes the
   * connection: the stream was all it carried. A peer that stopped reading (3008) would never take the end of
   * the response, so its connection is closed at once rather than left holding what it did not read.
   */
  @Override
  public Future<Void> close(short code, String reason) {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    if (response.writeQueueFull()) {
      return request.connection().close();
    }
    Future<Void> ended = response.ended() ? Future.succeededFuture() : response.end();
    return ended.eventually(() -> request.connection().close());
  }

  @Override
  public boolean isClosed() {
    return closed || response.closed();
  }

  @Override
  public String requestHeader(String name) {
    return request.headers().get(name);
  }

  @Override
  public String name() {
    return framing == Framing.SSE ? "uni_sse" : "uni_http_stream";
  }

  @Override
  public SocketAddress remoteAddress() {
    return request.remoteAddress();
  }
}
