package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@link SeqPublisher}'s counterpart for the Pusher HTTP API (Switchboard's or Soketi's): a fixed rate of events
 * into one channel, each carrying its send time and sequence number, calls never overlapping, what falls due
 * during a call sent as one {@code batch_events} (at most 10, Pusher's limit). Requests are signed as the Pusher
 * server SDKs sign them (auth_key, auth_timestamp, auth_version, body_md5, HMAC-SHA256 auth_signature).
 */
public final class PusherPublisher implements Publisher {
  static final int MAX_BATCH = 10;

  /** One Pusher app: {@code ID:KEY:SECRET} on the command line. */
  public record App(String id, String key, String secret) {
    static App parse(String s) {
      String[] p = s == null ? new String[0] : s.split(":", 3);
      if (p.length != 3 || p[0].isEmpty() || p[1].isEmpty() || p[2].isEmpty()) {
        throw new IllegalArgumentException("--pusher-app must be ID:KEY:SECRET");
      }
      return new App(p[0], p[1], p[2]);
    }
  }

  private final HttpClient http;
  private final URI base;
  private final App app;
  private final String channel;
  private final int payloadBytes;
  private final PacedCalls calls;
  private final PubStats stats = new PubStats();
  private long seq;

  public PusherPublisher(Vertx vertx, URI base, App app, String channel, double rate, int payloadBytes) {
    this.base = base;
    this.app = app;
    this.channel = channel;
    this.payloadBytes = payloadBytes;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout(5_000), new PoolOptions().setHttp1MaxSize(2));
    this.calls = new PacedCalls(vertx, rate, MAX_BATCH, 1, this::send);
  }

  @Override
  public void start() {
    calls.start();
  }

  @Override
  public PubStats stats() {
    return stats;
  }

  /** One event, or several in one {@code batch_events}. */
  private Future<Void> send(int n) {
    long t0 = SimClock.nowMicros();
    String path;
    JsonObject body;
    if (n == 1) {
      path = "/apps/" + app.id() + "/events";
      body = event(t0, ++seq);
    } else {
      JsonArray batch = new JsonArray();
      for (int i = 0; i < n; i++) {
        batch.add(event(t0, ++seq));
      }
      path = "/apps/" + app.id() + "/batch_events";
      body = new JsonObject().put("batch", batch);
    }
    stats.sent.add(n);
    return post(path, body.encode()).andThen(ar -> {
      stats.call(SimClock.nowMicros() - t0);
      if (ar.failed()) {
        stats.failed.add(n);
        stats.failure(ar.cause());
        stats.unknownTops.add(channel);
      } else {
        stats.acked.add(n);
        stats.top(channel, stats.acked.sum()); // no offsets in Pusher: subscribers count by sequence
      }
    });
  }

  private JsonObject event(long ts, long s) {
    return new JsonObject().put("name", "sim").put("channel", channel).put("data", Wire.payload(ts, s, payloadBytes));
  }

  private Future<Void> post(String path, String body) {
    String uri = path + "?" + signedQuery("POST", path, body, app, System.currentTimeMillis() / 1000);
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost(base.getHost())
        .setPort(base.getPort()).setURI(uri).setTimeout(10_000).putHeader("Content-Type", "application/json");
    return http.request(o)
        .compose(req -> req.send(Buffer.buffer(body)))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) {
            throw new ApiClient.ApiException(resp.statusCode(), "HTTP " + resp.statusCode() + " " + b);
          }
          return null;
        }));
  }

  /** The query string of a signed Pusher API request (parameters sorted, as the signature needs them). */
  static String signedQuery(String method, String path, String body, App app, long timestamp) {
    String query = "auth_key=" + app.key() + "&auth_timestamp=" + timestamp + "&auth_version=1.0&body_md5="
        + hex(digest("MD5", body));
    return query + "&auth_signature=" + hex(hmac(app.secret(), method + "\n" + path + "\n" + query));
  }

  private static byte[] digest(String algorithm, String s) {
    try {
      return MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(String secret, String s) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  @Override
  public Future<Void> stop(long timeoutMs) {
    return calls.stop(timeoutMs).eventually(() -> http.close());
  }
}
