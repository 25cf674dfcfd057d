package io.switchboard.transport.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * A {@link Transport} over an accepted WebSocket. Each message is one WebSocket message, text or binary as the
 * codec speaks. Messages are written as frames around the codec's buffer: Vert.x's public API only makes text
 * frames from a String (encoding it again for every connection), so this uses its frame class directly and
 * the shared bytes are never copied.
 *
 * <p>This object is also the socket's one handler of text, binary, exception and close events (told apart by
 * type): four lambdas would cost 64 bytes more per connection, and idle connections are what a node holds most.
 */
public final class WebSocketTransport implements Transport, Handler<Object> {
  private final ServerWebSocket ws;
  private final WebSocketFrameType frameType;
  private InboundHandler inbound;

  /** Call on the socket's event loop before anything is written to it (see {@link DirectWrites}). */
  public WebSocketTransport(ServerWebSocket ws, boolean binary) {
    this.ws = ws;
    this.frameType = binary ? WebSocketFrameType.BINARY : WebSocketFrameType.TEXT;
    DirectWrites.apply(ws);
    FrameGuard.install(ws); // 1007 for text that is not UTF-8, 1009 for a frame over the listener's limit
  }

  @Override
  @SuppressWarnings("unchecked")
  public void start(InboundHandler inbound) {
    this.inbound = inbound;
    Handler<?> self = this;
    ws.textMessageHandler((Handler<String>) self);
    ws.binaryMessageHandler((Handler<Buffer>) self);
    ws.exceptionHandler((Handler<Throwable>) self);
    ws.closeHandler((Handler<Void>) self);
  }

  @Override
  public void handle(Object event) {
    if (event instanceof String text) {
      inbound.onText(text);
    } else if (event instanceof Buffer binary) {
      inbound.onBinary(binary);
    } else if (event instanceof Throwable t) {
      onError(t);
    } else {
      inbound.onClosed(); // the close handler's event is a Void: null
    }
  }

  private void onError(Throwable t) {
    // Vert.x's aggregator reports a message over the transport limit this way (and would leave the connection
    // open): the session answers with 1009. A frame Netty refused (too big, not UTF-8) has had its close frame
    // from the FrameGuard already, and the connection is closing: it is only logged.
    if (t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("size")) {
      inbound.onTooBig();
    } else {
      inbound.onError(t);
    }
  }

  @Override
  public void write(ByteBuf message) {
    ws.writeFrame(new WebSocketFrameImpl(frameType, message, true));
  }

  /**
   * Several messages in one write and one flush (one syscall instead of one each), for a protocol that cannot
   * join messages (Pusher: one event per message). Server frames are unmasked: FIN and the opcode, the length
   * in 7, 16 or 64 bits, the payload. The buffers are released here.
   */
  public void writeAll(List<ByteBuf> messages) {
    ByteBuf out = encode(messages, frameType == WebSocketFrameType.BINARY);
    if (DirectWrites.writeEncoded(ws, out)) {
      messages.forEach(ByteBuf::release);
      return;
    }
    out.release();
    for (ByteBuf m : messages) {
      write(m.readerIndex(0));
    }
  }

  /** The messages as unmasked final frames, back to back (each buffer read to its end). */
  static ByteBuf encode(List<ByteBuf> messages, boolean binary) {
    int size = 0;
    for (ByteBuf m : messages) {
      size += 10 + m.readableBytes();
    }
    ByteBuf out = Unpooled.buffer(size);
    byte opcode = binary ? (byte) 0x82 : (byte) 0x81;
    for (ByteBuf m : messages) {
      int n = m.readableBytes();
      out.writeByte(opcode);
      if (n < 126) {
        out.writeByte(n);
      } else if (n <= 0xFFFF) {
        out.writeByte(126).writeShort(n);
      } else {
        out.writeByte(127).writeLong(n);
      }
      out.writeBytes(m);
    }
    return out;
  }

  @Override
  public boolean writeQueueFull() {
    return ws.writeQueueFull();
  }

  @Override
  public void drainHandler(Runnable onDrain) {
    ws.drainHandler(v -> onDrain.run());
  }

  @Override
  public void pauseReading() {
    ws.pause(); // Vert.x then queues at most a few frames before it stops reading the socket
  }

  @Override
  public void resumeReading() {
    ws.resume();
  }

  @Override
  public Future<Void> close(short code, String reason) {
    return ws.close(code, reason);
  }

  @Override
  public boolean isClosed() {
    return ws.isClosed();
  }

  @Override
  public String requestHeader(String name) {
    return ws.headers().get(name);
  }

  @Override
  public void forgetRequestHeaders() {
    UpgradeLeftovers.forgetHeaders(ws);
  }

  @Override
  public SocketAddress remoteAddress() {
    return ws.remoteAddress();
  }
}
