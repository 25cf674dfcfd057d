package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/**
 * A WebSocket client over a plain TCP socket: the upgrade request is a fixed string and frames are read and
 * written here (RFC 6455), without Vert.x's HTTP client, so that a connect costs client-sim little CPU. Frames
 * it sends are masked with a zero key (allowed: the server cannot tell; the payload needs no XOR). It reads
 * text, binary, close and ping frames, fragmented or not, and answers pings. Not a general client: it trusts the
 * server's 101 without checking Sec-WebSocket-Accept.
 */
final class LeanWebSocket implements SimSocket {
  private static final int MAX_MESSAGE = 16 << 20;
  private final NetSocket socket;
  private Buffer in = Buffer.buffer();
  private Buffer fragments;
  private int fragmentOpcode;
  private Short closeCode;
  private boolean closeSent;
  private Handler<String> text = t -> {};
  private Handler<Buffer> binary = b -> {};
  private Handler<Void> closed = v -> {};
  private Handler<Throwable> error = t -> {};

  private LeanWebSocket(NetSocket socket) {
    this.socket = socket;
  }

  /** Connects and upgrades; fails with the HTTP status line if the server answers anything but 101. */
  static Future<SimSocket> connect(NetClient client, String host, int port, String uri, long timeoutMillis) {
    Promise<SimSocket> p = Promise.promise();
    String request = "GET " + uri + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: c2ltLWxlYW4tY2xpZW50IQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    client.connect(port, host).onComplete(ar -> {
      if (ar.failed()) {
        p.tryFail(ar.cause());
        return;
      }
      NetSocket s = ar.result();
      Buffer head = Buffer.buffer();
      s.handler(b -> {
        if (p.future().isComplete()) {
          return;
        }
        head.appendBuffer(b);
        int end = indexOfHeaderEnd(head);
        if (end < 0) {
          if (head.length() > 8192) {
            s.close();
            p.tryFail("upgrade response too long");
          }
          return;
        }
        String status = head.getString(0, Math.max(0, head.toString(StandardCharsets.ISO_8859_1).indexOf('\r')));
        if (!status.startsWith("HTTP/1.1 101")) {
          s.close();
          p.tryFail(status.isEmpty() ? "no status line" : status);
          return;
        }
        LeanWebSocket ws = new LeanWebSocket(s);
        s.handler(ws::read);
        s.closeHandler(v -> ws.closed.handle(null));
        s.exceptionHandler(t -> ws.error.handle(t));
        p.tryComplete(ws);
        if (end < head.length()) {
          ws.read(head.getBuffer(end, head.length()));
        }
      });
      s.closeHandler(v -> p.tryFail("closed during the upgrade"));
      s.write(request);
    });
    return p.future();
  }

  private static int indexOfHeaderEnd(Buffer b) {
    for (int i = 3; i < b.length(); i++) {
      if (b.getByte(i) == '\n' && b.getByte(i - 1) == '\r' && b.getByte(i - 2) == '\n' && b.getByte(i - 3) == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  @Override
  public void textHandler(Handler<String> h) {
    this.text = h;
  }

  @Override
  public void binaryHandler(Handler<Buffer> h) {
    this.binary = h;
  }

  @Override
  public void closeHandler(Handler<Void> h) {
    this.closed = h;
  }

  @Override
  public void exceptionHandler(Handler<Throwable> h) {
    this.error = h;
  }

  /** Appends what arrived and hands every complete frame on. */
  private void read(Buffer b) {
    in = in.length() == 0 ? b.copy() : in.appendBuffer(b);
    int pos = 0;
    while (true) {
      int avail = in.length() - pos;
      if (avail < 2) {
        break;
      }
      int b0 = in.getUnsignedByte(pos);
      int b1 = in.getUnsignedByte(pos + 1);
      long len = b1 & 0x7f;
      int header = 2;
      if (len == 126) {
        if (avail < 4) {
          break;
        }
        len = in.getUnsignedShort(pos + 2);
        header = 4;
      } else if (len == 127) {
        if (avail < 10) {
          break;
        }
        len = in.getLong(pos + 2);
        header = 10;
      }
      if ((b1 & 0x80) != 0 || len > MAX_MESSAGE) {
        error.handle(new IllegalStateException("bad frame from the server"));
        socket.close();
        return;
      }
      if (avail < header + len) {
        break;
      }
      frame(b0 & 0x80, b0 & 0x0f, in.getBuffer(pos + header, pos + header + (int) len));
      pos += header + (int) len;
    }
    in = pos == in.length() ? Buffer.buffer() : in.getBuffer(pos, in.length());
  }

  private void frame(int fin, int opcode, Buffer payload) {
    switch (opcode) {
      case 0 -> { // continuation
        if (fragments == null) {
          return;
        }
        fragments.appendBuffer(payload);
        if (fin != 0) {
          Buffer whole = fragments;
          fragments = null;
          message(fragmentOpcode, whole);
        }
      }
      case 1, 2 -> {
        if (fin != 0) {
          message(opcode, payload);
        } else {
          fragments = payload.copy();
          fragmentOpcode = opcode;
        }
      }
      case 8 -> {
        closeCode = payload.length() >= 2 ? (short) payload.getUnsignedShort(0) : (short) 1005;
        close(closeCode, "");
      }
      case 9 -> socket.write(frameOf(0xA, payload));
      default -> { } // pong and anything else: nothing to do
    }
  }

  private void message(int opcode, Buffer payload) {
    if (opcode == 1) {
      text.handle(payload.toString(StandardCharsets.UTF_8));
    } else {
      binary.handle(payload);
    }
  }

  /** A client frame: FIN, the opcode, the mask bit with a zero key, then the payload as is. */
  private static Buffer frameOf(int opcode, Buffer payload) {
    int len = payload.length();
    Buffer f = Buffer.buffer(len + 14);
    f.appendByte((byte) (0x80 | opcode));
    if (len < 126) {
      f.appendByte((byte) (0x80 | len));
    } else if (len < 65536) {
      f.appendByte((byte) (0x80 | 126)).appendUnsignedShort(len);
    } else {
      f.appendByte((byte) (0x80 | 127)).appendLong(len);
    }
    f.appendInt(0); // the masking key: zero, so the payload goes as it is
    return f.appendBuffer(payload);
  }

  @Override
  public void writeText(String t) {
    socket.write(frameOf(1, Buffer.buffer(t)));
  }

  @Override
  public void writeBinary(Buffer data) {
    socket.write(frameOf(2, data));
  }

  @Override
  public void close(short code, String reason) {
    if (!closeSent) {
      closeSent = true;
      Buffer p = Buffer.buffer().appendUnsignedShort(code & 0xffff).appendString(reason == null ? "" : reason);
      socket.write(frameOf(8, p));
    }
    socket.close();
  }

  @Override
  public Short closeStatusCode() {
    return closeCode;
  }
}
