package io.switchboard.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 backend over a raw TCP server, so that the test sees pipelining on the wire: it records on which
 * connection each request came and how many requests had arrived before the first answer went out. It answers
 * each connection's requests in order, as HTTP/1.1 requires, echoing the request's {@code id} as
 * {@code {"result":{"id":N}}}, each after the {@code delay_ms} its body asks for (counted from its arrival).
 */
final class PipelinedBackend implements AutoCloseable {
  record Seen(int connection, int id) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  /** Requests received before the first answer was written (pipelining: more than the connections). */
  volatile int seenBeforeFirstAnswer = -1;
  private final AtomicInteger connections = new AtomicInteger();
  private final Vertx vertx = Vertx.vertx();
  private final NetServer server;

  PipelinedBackend() throws Exception {
    server = vertx.createNetServer().connectHandler(this::serve).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/publish";
  }

  int connections() {
    return connections.get();
  }

  private void serve(NetSocket socket) {
    int conn = connections.incrementAndGet();
    Buffer[] pending = {Buffer.buffer()};
    // The answer before this one on the connection: each answer is written after it (HTTP/1.1 order).
    @SuppressWarnings("unchecked")
    Future<Void>[] previous = new Future[] {Future.succeededFuture()};
    socket.handler(data -> {
      pending[0].appendBuffer(data);
      Buffer rest;
      while ((rest = nextRequest(pending[0], conn, socket, previous)) != null) {
        pending[0] = rest;
      }
    });
  }

  /** Takes one complete request off the front of {@code buf}: what is left, or null when none is complete. */
  private Buffer nextRequest(Buffer buf, int conn, NetSocket socket, Future<Void>[] previous) {
    String text = buf.toString(StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return null;
    }
    int length = 0;
    for (String line : text.substring(0, headEnd).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    int end = headEnd + 4 + length;
    if (buf.length() < end) {
      return null;
    }
    JsonObject body = new JsonObject(buf.getBuffer(headEnd + 4, end));
    int id = body.getJsonObject("data").getInteger("id");
    seen.add(new Seen(conn, id));
    long delay = body.getJsonObject("data").getLong("delay_ms", 0L);
    Promise<Void> due = Promise.promise();
    if (delay > 0) {
      vertx.setTimer(delay, t -> due.complete());
    } else {
      due.complete();
    }
    previous[0] = Future.all(previous[0], due.future()).map(v -> {
      if (seenBeforeFirstAnswer < 0) {
        seenBeforeFirstAnswer = seen.size();
      }
      String json = "{\"result\":{\"id\":" + id + "}}";
      socket.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length()
          + "\r\n\r\n" + json);
      return null;
    });
    return buf.getBuffer(end, buf.length());
  }

  @Override
  public void close() {
    vertx.close();
  }
}
