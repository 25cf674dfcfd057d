package io.switchboard.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client that connects, sends one message (text, or binary for Protobuf) and then never reads again, with a tiny receive
 * buffer: the real shape of a stuck consumer. A Vert.x client keeps reading into memory even when paused.
 */
public final class StuckClient implements AutoCloseable {
  private final Socket socket;

  public StuckClient(int port, String firstMessage) throws IOException {
    this(port, "", 0x81, firstMessage.getBytes(StandardCharsets.UTF_8), 4096);
  }

  /**
   * One that never reads either, but with a receive buffer of {@code receiveBufferBytes}: for a client that
   * writes megabytes itself. With a 4 KiB buffer full of unread replies, Linux drops the ACKs coming back to it
   * while its sender holds the socket, and both kernels can stall for minutes with the server's receive queue
   * empty (seen in PipelineFloodIT: the client held 2.8 MB unsent, the node had read everything).
   */
  public static StuckClient withReceiveBuffer(int port, String firstMessage, int receiveBufferBytes)
      throws IOException {
    return new StuckClient(port, "", 0x81, firstMessage.getBytes(StandardCharsets.UTF_8), receiveBufferBytes);
  }

  /** One that speaks Protobuf ({@code ?cf_protocol=protobuf}) and sends {@code firstMessage} as a binary message. */
  public static StuckClient protobuf(int port, byte[] firstMessage) throws IOException {
    return new StuckClient(port, "?cf_protocol=protobuf", 0x82, firstMessage, 4096);
  }

  private StuckClient(int port, String query, int firstOpcode, byte[] firstMessage, int receiveBufferBytes)
      throws IOException {
    socket = new Socket();
    socket.setReceiveBufferSize(receiveBufferBytes);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(5000);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String req = "GET /connection/websocket" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(req.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during handshake: " + head);
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + head);
    }
    send(firstOpcode, firstMessage);
  }

  /** Sends one masked text frame, as clients must. */
  public void sendText(String text) throws IOException {
    send(0x81, text.getBytes(StandardCharsets.UTF_8));
  }

  /** One whole masked frame, written at once (a write per byte would make a flood of megabytes crawl). */
  private void send(int opcode, byte[] payload) throws IOException {
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    int n = payload.length;
    int head = n < 126 ? 2 : n <= 0xffff ? 4 : 10;
    byte[] frame = new byte[head + 4 + n];
    frame[0] = (byte) opcode;
    if (n < 126) {
      frame[1] = (byte) (0x80 | n);
    } else if (n <= 0xffff) {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (n >> 8);
      frame[3] = (byte) n;
    } else {
      frame[1] = (byte) (0x80 | 127);
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) ((long) n >> (56 - 8 * i));
      }
    }
    System.arraycopy(mask, 0, frame, head, 4);
    for (int i = 0; i < n; i++) {
      frame[head + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    OutputStream out = socket.getOutputStream();
    out.write(frame);
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
