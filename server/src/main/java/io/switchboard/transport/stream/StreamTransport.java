package io.switchboard.transport.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.codec.ClientCodec;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.transport.EmulatedTransport;
import io.switchboard.transport.InboundHandler;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A {@link io.switchboard.transport.Transport} over a streaming HTTP response (HTTP-streaming or SSE, told by its {@link StreamFraming}):
 * the server's messages go down the response; the client's first commands came in the request that opened it,
 * its later ones arrive as emulation requests naming {@link #session()} ({@link #receive}). A stream has no
 * close frame, so a close sends the disconnect push, as Centrifugo does, and ends the response.
 */
final class StreamTransport implements EmulatedTransport {
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final ClientCodec codec;
  private final StreamFraming framing;
  private final String session;
  private Buffer first;
  private InboundHandler inbound;
  private boolean closed;

  /** {@code first}: the commands of the request that opened the stream (connect). */
  StreamTransport(HttpServerRequest request, ClientCodec codec, StreamFraming framing, String session, Buffer first) {
    this.request = request;
    this.response = request.response();
    this.codec = codec;
    this.framing = framing;
    this.session = session;
    this.first = first;
  }

  @Override
  public void start(InboundHandler inbound) {
    this.inbound = inbound;
    response.closeHandler(v -> peerGone());
    response.exceptionHandler(inbound::onError);
    Buffer commands = first;
    first = null;
    receive(commands);
  }

  /** Commands from the client (the opening request's, or an emulation request's), on this stream's event loop. */
  @Override
  public void receive(Buffer commands) {
    if (closed) {
      return;
    }
    if (codec.binary()) {
      inbound.onBinary(commands);
    } else {
      inbound.onText(commands.toString(StandardCharsets.UTF_8));
    }
  }

  private void peerGone() {
    if (!closed) {
      closed = true;
      inbound.onClosed();
    }
  }

  @Override
  public void write(ByteBuf message) {
    if (closed) {
      message.release();
      return;
    }
    response.write(BufferInternal.buffer(framing.frame(message)));
  }

  @Override
  public boolean writeQueueFull() {
    return response.writeQueueFull();
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    response.drainHandler(v -> onDrain.run());
  }

  @Override
  public Future<Void> close(short code, String reason) {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    if (code == DisconnectCode.SLOW.code || response.writeQueueFull()) {
      // The peer does not read: nothing more is queued for it, the connection goes (the client reconnects).
      return request.connection().close();
    }
    byte[] push = codec.disconnectPush(code, reason, DisconnectCode.reconnects(code));
    return response.end(BufferInternal.buffer(framing.frame(codec.message(push))));
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public String requestHeader(String name) {
    return request.headers().get(name);
  }

  @Override
  public String name() {
    return framing == StreamFraming.EVENTS ? "sse" : "http_stream";
  }

  @Override
  public SocketAddress remoteAddress() {
    return request.remoteAddress();
  }

  @Override
  public String session() {
    return session;
  }

  /** A frame delimiter for {@link StreamFraming}. */
  static ByteBuf bytes(String s) {
    return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(s.getBytes(StandardCharsets.US_ASCII)));
  }
}
