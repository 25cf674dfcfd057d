package io.switchboard.testsupport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client over a plain socket that writes any frame, well-formed or not (a length it never sends, bytes
 * that are not UTF-8 in a text frame), and reads the server's frames as they are, close frame included: what
 * a library client would refuse to send or would hide.
 */
public final class RawWebSocket implements AutoCloseable {
  /** What {@link #awaitClose} returns when the connection ended without a close frame (a client's 1006). */
  public static final int NO_CLOSE_FRAME = 1006;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  public RawWebSocket(int port) throws IOException {
    this(port, "");
  }

  /** {@code query}: e.g. {@code ?cf_protocol=protobuf}, or "". */
  public RawWebSocket(int port, String query) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String req = "GET /connection/websocket" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    out = socket.getOutputStream();
    out.write(req.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream raw = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = raw.read();
      if (b < 0) {
        throw new IOException("closed during handshake: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + head);
    }
    in = new DataInputStream(raw);
  }

  /** One whole masked text frame of {@code payload}, whatever its bytes. */
  public void sendText(byte[] payload) throws IOException {
    header(0x81, payload.length);
    masked(payload);
  }

  /** One whole masked binary frame of {@code payload}. */
  public void sendBinary(byte[] payload) throws IOException {
    header(0x82, payload.length);
    masked(payload);
  }

  /** The next data frame's payload as it is (control frames other than close are skipped); null at a close. */
  public byte[] readMessage() throws IOException {
    while (true) {
      int b0 = in.readUnsignedByte();
      byte[] payload = payload();
      int opcode = b0 & 0x0f;
      if (opcode == 8) {
        return null;
      }
      if (opcode == 1 || opcode == 2) {
        return payload;
      }
    }
  }

  /** Only the header of a masked binary frame announcing {@code length} bytes, and its mask; no payload. */
  public void sendHeaderOnly(long length) throws IOException {
    header(0x82, length);
    out.flush();
  }

  private void header(int opcodeAndFin, long length) throws IOException {
    out.write(opcodeAndFin);
    if (length < 126) {
      out.write(0x80 | (int) length);
    } else if (length < 65536) {
      out.write(0x80 | 126);
      out.write((int) (length >> 8) & 0xff);
      out.write((int) length & 0xff);
    } else {
      out.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) (length >> shift) & 0xff);
      }
    }
  }

  private void masked(byte[] payload) throws IOException {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    out.write(mask);
    byte[] body = new byte[payload.length];
    for (int i = 0; i < payload.length; i++) {
      body[i] = (byte) (payload[i] ^ mask[i % 4]);
    }
    out.write(body);
    out.flush();
  }

  /** The next data frame's payload as text (control frames other than close are skipped); null at a close. */
  public String readText() throws IOException {
    while (true) {
      int b0 = in.readUnsignedByte();
      byte[] payload = payload();
      int opcode = b0 & 0x0f;
      if (opcode == 8) {
        return null;
      }
      if (opcode == 1 || opcode == 2) {
        return new String(payload, StandardCharsets.UTF_8);
      }
    }
  }

  /**
   * Reads until the server's close frame and returns its code; {@link #NO_CLOSE_FRAME} when the connection
   * ends (or is reset) without one. Fails after 10 s without either.
   */
  public int awaitClose() throws IOException {
    try {
      while (true) {
        int b0 = in.readUnsignedByte();
        byte[] payload = payload();
        if ((b0 & 0x0f) == 8) {
          return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new IOException("no close within 10 s", e);
    } catch (EOFException | java.net.SocketException e) {
      return NO_CLOSE_FRAME;
    }
  }

  private byte[] payload() throws IOException {
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    if ((b1 & 0x80) != 0) {
      in.readInt(); // a server never masks; read past it anyway
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return payload;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
