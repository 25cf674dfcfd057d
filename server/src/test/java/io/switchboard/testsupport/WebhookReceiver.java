package io.switchboard.testsupport;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A webhook receiver over real HTTP: checks each request's X-Switchboard-Signature against the secret (a bad
 * one is answered 401 and counted), keeps every event of the accepted requests, and can go down (its port
 * closed: connection refused) and come back on the same port.
 */
public final class WebhookReceiver implements AutoCloseable {
  public final int port;
  private final Vertx vertx;
  private final byte[] secret;
  private HttpServer server;
  /** Every event of every accepted request, in arrival order (a retried event appears again). */
  public final List<JsonObject> events = new CopyOnWriteArrayList<>();
  public final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  public final List<Integer> bodyBytes = new CopyOnWriteArrayList<>();
  public final List<String> badSignatures = new CopyOnWriteArrayList<>();

  public WebhookReceiver(Vertx vertx, String secret) throws java.io.IOException {
    this.port = TestServer.freePort();
    this.vertx = vertx;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/hooks";
  }

  public WebhookReceiver start() {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      String sig = req.getHeader("X-Switchboard-Signature");
      if (!req.path().equals("/hooks") || sig == null || !sig.equals(hmacHex(body.getBytes()))) {
        badSignatures.add(String.valueOf(sig));
        req.response().setStatusCode(401).end();
        return;
      }
      JsonObject batch = body.toJsonObject();
      batchSizes.add(batch.getJsonArray("events").size());
      bodyBytes.add(body.length());
      batch.getJsonArray("events").forEach(e -> events.add((JsonObject) e));
      req.response().setStatusCode(204).end();
    })).listen(port, "127.0.0.1").await();
    return this;
  }

  /** Closes the port: senders get connection refused until {@link #start} again. */
  public void stop() {
    if (server != null) {
      server.close().await();
      server = null;
    }
  }

  public String hmacHex(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public List<JsonObject> matching(Predicate<JsonObject> p) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject e : events) {
      if (p.test(e)) {
        out.add(e);
      }
    }
    return out;
  }

  /** The events of {@code type} for {@code channel} (null: any) and {@code user} (null: any). */
  public List<JsonObject> of(String type, String channel, String user) {
    return matching(e -> e.getString("type").equals(type)
        && (channel == null || channel.equals(e.getString("channel")))
        && (user == null || user.equals(e.getString("user"))));
  }

  @Override
  public void close() {
    stop();
  }
}
