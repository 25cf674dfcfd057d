package io.switchboard.transport.uni;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A client of a unidirectional HTTP endpoint for tests: a real HTTP request whose streamed response is read on
 * a thread of its own, as SSE events ({@code data:} lines up to a blank line) or as newline-delimited JSON.
 * Every push is kept in arrival order; the test thread waits for the ones it wants.
 */
final class UniStream implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final long WAIT_MS = 10_000;

  final int status;
  final HttpResponse<InputStream> response;
  /** The data of every SSE event or line, as received. */
  final List<String> raw = java.util.Collections.synchronizedList(new ArrayList<>());
  private final LinkedList<JsonObject> unconsumed = new LinkedList<>();
  private final List<JsonObject> seen = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean ended;
  private final Thread reader;

  private UniStream(HttpResponse<InputStream> response, boolean sse) {
    this.response = response;
    this.status = response.statusCode();
    this.reader = Thread.ofPlatform().daemon().name("uni-stream-reader").start(() -> read(sse));
  }

  static UniStream get(String url, String... headers) throws Exception {
    return open(HttpRequest.newBuilder(URI.create(url)).GET(), true, headers);
  }

  static UniStream post(String url, String body, boolean sse, String... headers) throws Exception {
    return open(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)), sse,
        headers);
  }

  private static UniStream open(HttpRequest.Builder b, boolean sse, String... headers) throws Exception {
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return new UniStream(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()), sse);
  }

  private void read(boolean sse) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      StringBuilder data = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (!sse) {
          if (!line.isEmpty()) {
            received(line);
          }
        } else if (line.isEmpty()) {
          if (data != null) {
            received(data.toString());
            data = null;
          }
        } else if (line.startsWith("data:")) {
          String value = line.substring(line.startsWith("data: ") ? 6 : 5);
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        } else {
          received("unexpected SSE line: " + line); // fails the JSON parse below on purpose
        }
      }
    } catch (IOException e) {
      // closed by the test, or the connection broke
    } finally {
      synchronized (unconsumed) {
        ended = true;
        unconsumed.notifyAll();
      }
    }
  }

  private void received(String text) {
    raw.add(text);
    JsonObject o;
    try {
      o = new JsonObject(text);
    } catch (RuntimeException e) {
      o = new JsonObject().put("unparsable", text);
    }
    seen.add(o);
    synchronized (unconsumed) {
      unconsumed.add(o);
      unconsumed.notifyAll();
    }
  }

  /** The whole body of a refused request (status not 200). */
  String body() throws Exception {
    reader.join(WAIT_MS);
    return String.join("\n", raw);
  }

  /** Takes the oldest push matching {@code p}, waiting for it; the others stay for later calls. */
  JsonObject next(Predicate<JsonObject> p) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    synchronized (unconsumed) {
      while (true) {
        for (Iterator<JsonObject> it = unconsumed.iterator(); it.hasNext(); ) {
          JsonObject o = it.next();
          if (p.test(o)) {
            it.remove();
            return o;
          }
        }
        long left = deadline - System.currentTimeMillis();
        if (left <= 0 || ended) {
          throw new AssertionError((ended ? "stream ended" : "timed out") + " waiting for a push; seen: " + seen);
        }
        unconsumed.wait(Math.min(left, 100));
      }
    }
  }

  JsonObject connect() throws InterruptedException {
    return next(o -> o.containsKey("connect")).getJsonObject("connect");
  }

  JsonObject nextPub(String channel) throws InterruptedException {
    return next(o -> channel.equals(o.getString("channel")) && o.containsKey("pub")).getJsonObject("pub");
  }

  JsonObject disconnect() throws InterruptedException {
    return next(o -> o.containsKey("disconnect")).getJsonObject("disconnect");
  }

  /** Waits for the server to end the response. */
  void awaitEnd() throws InterruptedException {
    reader.join(WAIT_MS);
    if (reader.isAlive()) {
      throw new AssertionError("the stream did not end; seen: " + seen);
    }
  }

  boolean ended() {
    return ended;
  }

  List<JsonObject> seen() {
    synchronized (seen) {
      return new ArrayList<>(seen);
    }
  }

  @Override
  public void close() throws Exception {
    response.body().close();
    reader.join(WAIT_MS);
  }
}
