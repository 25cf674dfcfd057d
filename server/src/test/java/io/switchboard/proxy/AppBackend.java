package io.switchboard.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A small application backend written against Centrifugo's proxy docs, as a real HTTP server: it
 * authenticates by cookie, refuses one namespace, moderates publications and answers an RPC. Every request it
 * got is recorded (path, body, Cookie header) for the test to check.
 */
final class AppBackend implements AutoCloseable {
  record Seen(String path, JsonObject body, String cookie) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;

  AppBackend() throws Exception {
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  int port() {
    return server.actualPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** Requests to {@code path} so far. */
  List<Seen> to(String path) {
    return seen.stream().filter(s -> s.path().equals(path)).toList();
  }

  private void handle(HttpServerRequest req) {
    String cookie = req.getHeader("Cookie");
    req.body().onSuccess(b -> {
      JsonObject body = new JsonObject(b);
      seen.add(new Seen(req.path(), body, cookie));
      JsonObject reply = switch (req.path()) {
        case "/connect" -> connect(cookie);
        case "/refresh" -> "carol".equals(body.getString("user"))
            ? result(new JsonObject().put("expired", true))
            : result(new JsonObject().put("expire_at", now() + 3600));
        case "/subscribe" -> body.getString("channel").startsWith("secret:")
            ? error(1403, "not your room")
            : body.getString("channel").startsWith("brief:")
            ? result(new JsonObject().put("expire_at", now() + 1))
            : result(new JsonObject().put("info", new JsonObject().put("role", "member")));
        case "/sub_refresh" -> body.getString("channel").equals("brief:gone")
            ? result(new JsonObject().put("expired", true))
            : result(new JsonObject().put("expire_at", now() + 3600));
        case "/publish" -> publish(req, body);
        case "/rpc" -> "echo".equals(body.getString("method"))
            ? result(new JsonObject().put("data", new JsonObject().put("echo", body.getValue("data"))
                .put("user", body.getString("user")).put("meta", body.getValue("meta"))))
            : error(1404, "no such method");
        default -> null;
      };
      if (reply != null) {
        req.response().putHeader("Content-Type", "application/json").end(reply.encode());
      }
    });
  }

  private static JsonObject connect(String cookie) {
    if (cookie == null) {
      return error(1401, "who are you");
    }
    return switch (cookie) {
      case "session=alice" -> result(new JsonObject().put("user", "alice").put("expire_at", now() + 1)
          .put("info", new JsonObject().put("name", "Alice")).put("meta", new JsonObject().put("tenant", "t1"))
          .put("data", new JsonObject().put("welcome", "Alice"))
          .put("subs", new JsonObject().put("secret:alice", new JsonObject().put("info", new JsonObject()))));
      case "session=carol" -> result(new JsonObject().put("user", "carol").put("expire_at", now() + 1));
      case "session=bob" -> result(new JsonObject().put("user", "bob"));
      default -> new JsonObject().put("disconnect", new JsonObject().put("code", 4501).put("reason", "banned"));
    };
  }

  /** Publish moderation, and ways of failing for the failure tests (text names the failure). */
  private static JsonObject publish(HttpServerRequest req, JsonObject body) {
    String text = body.getJsonObject("data", new JsonObject()).getString("text", "");
    switch (text) {
      case "hang" -> {
        return null; // never answers
      }
      case "slow" -> { // accepts after 200 ms: holds an in-flight slot that long
        req.response().putHeader("Content-Type", "application/json");
        Vertx.currentContext().owner().setTimer(200, id -> req.response().end(result(new JsonObject()).encode()));
        return null;
      }
      case "status 500" -> {
        req.response().setStatusCode(500).end();
        return null;
      }
      case "not json" -> {
        req.response().end("<html>oops</html>");
        return null;
      }
      case "huge" -> {
        req.response().end(result(new JsonObject().put("data", "x".repeat(100_000))).encode());
        return null;
      }
      default -> { }
    }
    if (text.contains("spam")) {
      return error(1500, "moderated");
    }
    if (text.contains("darn")) {
      return result(new JsonObject().put("data", new JsonObject().put("text", text.replace("darn", "****"))));
    }
    return result(new JsonObject());
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  private static JsonObject result(JsonObject r) {
    return new JsonObject().put("result", r);
  }

  private static JsonObject error(int code, String message) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", message));
  }

  /** Stops the backend: from now on every proxy request finds no server. */
  @Override
  public void close() {
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
