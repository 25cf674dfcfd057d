package io.switchboard.transport.websocket;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/**
 * What RFC 6455 says a server does with frames it cannot take: a text message that is not UTF-8 fails the
 * connection with 1007, a frame over the listener's size limit with 1009, a broken frame with 1002, each with a
 * close frame. Netty finds all three (its frame decoder; its UTF-8 validator, which this is), but Vert.x builds
 * the decoder with {@code closeOnProtocolViolation} off, does not validate text at all (it decodes text messages
 * with replacement characters), and answers the decoder's exception by closing the TCP connection without a
 * close frame, which clients see as 1006. Put between the decoder and Vert.x's handler, this sends the close
 * frame first; Vert.x then closes the connection as before and the session ends as on any close.
 *
 * <p>Netty's validator keeps its state per connection (a text message may arrive in fragments), so each
 * connection gets one: a handler and its pipeline context, about 100 bytes.
 */
final class FrameGuard extends Utf8FrameValidator {
  static final String NAME = "switchboard-frame-guard";

  private FrameGuard() {
    super(false); // the close frame is written below, for the decoder's violations as well
  }

  /** Puts a guard in front of the socket's Vert.x handler; on its event loop, before it reads a message. */
  static void install(ServerWebSocket ws) {
    if (!(ws instanceof WebSocketInternal internal)) {
      return;
    }
    ChannelHandlerContext vertx = internal.channelHandlerContext();
    ChannelPipeline pipeline = vertx.pipeline();
    if (pipeline.get(NAME) == null) {
      pipeline.addBefore(vertx.name(), NAME, new FrameGuard());
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (cause instanceof CorruptedWebSocketFrameException e && ctx.channel().isActive()) {
      WebSocketCloseStatus status = e.closeStatus() == null ? WebSocketCloseStatus.PROTOCOL_ERROR : e.closeStatus();
      ctx.writeAndFlush(new CloseWebSocketFrame(status.code(), status.reasonText()))
          .addListener(ChannelFutureListener.CLOSE);
    }
    ctx.fireExceptionCaught(cause); // Vert.x's handler closes the connection: the session ends as on any close
  }
}
