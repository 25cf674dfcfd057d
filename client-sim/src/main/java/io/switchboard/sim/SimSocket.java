package io.switchboard.sim;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * The client end of one WebSocket, as client-sim uses it: Vert.x's {@code WebSocketClient} ({@link #of}) or the
 * lean one ({@link LeanWebSocket}) that storms use, whose handshake costs the client a fraction of the CPU so
 * that the server, not client-sim, is what a storm measures. Confined to the connection's event loop.
 */
interface SimSocket {
  void writeText(String text);

  void writeBinary(Buffer data);

  /** Sends a close frame with {@code code} and closes the connection. */
  void close(short code, String reason);

  /** The code of the close frame the server sent, or null. */
  Short closeStatusCode();

  void textHandler(Handler<String> h);

  void binaryHandler(Handler<Buffer> h);

  /** Runs once, whichever side closed. */
  void closeHandler(Handler<Void> h);

  void exceptionHandler(Handler<Throwable> h);

  /** Vert.x's WebSocket as a SimSocket. */
  static SimSocket of(io.vertx.core.http.WebSocket ws) {
    return new SimSocket() {
      @Override
      public void writeText(String text) {
        ws.writeTextMessage(text);
      }

      @Override
      public void writeBinary(Buffer data) {
        ws.writeBinaryMessage(data);
      }

      @Override
      public void close(short code, String reason) {
        ws.close(code, reason);
      }

      @Override
      public Short closeStatusCode() {
        return ws.closeStatusCode();
      }

      @Override
      public void textHandler(Handler<String> h) {
        ws.textMessageHandler(h);
      }

      @Override
      public void binaryHandler(Handler<Buffer> h) {
        ws.binaryMessageHandler(h);
      }

      @Override
      public void closeHandler(Handler<Void> h) {
        ws.closeHandler(h);
      }

      @Override
      public void exceptionHandler(Handler<Throwable> h) {
        ws.exceptionHandler(h);
      }
    };
  }
}
