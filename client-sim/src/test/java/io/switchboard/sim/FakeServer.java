package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A few lines of the protocol, enough to drive client-sim end to end without the real server: connect,
 * subscribe, ping/pong, API publish and batch into ephemeral channels. It misbehaves on purpose so that the
 * checks can be seen to work: publication 3 never reaches the first subscriber, publication 5 reaches it twice,
 * and publications 7 and 8 reach the second subscriber swapped.
 */
final class FakeServer {
  private final Vertx vertx;
  private final Map<String, List<ServerWebSocket>> channels = new HashMap<>();
  private HttpServer server;
  private long held = -1;
  private String heldFrame;

  FakeServer(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Integer> start() {
    server = vertx.createHttpServer();
    server.webSocketHandler(ws -> ws.textMessageHandler(text -> {
      StringBuilder reply = new StringBuilder();
      for (String line : text.split("\n")) {
        JsonObject cmd = new JsonObject(line);
        long id = cmd.getLong("id", 0L);
        String out;
        if (cmd.containsKey("connect")) {
          out = new JsonObject().put("id", id).put("connect", new JsonObject().put("client", "c" + id)
              .put("version", "fake").put("ping", 25).put("pong", true)).encode();
        } else if (cmd.containsKey("subscribe")) {
          channels.computeIfAbsent(cmd.getJsonObject("subscribe").getString("channel"), c -> new ArrayList<>()).add(ws);
          out = new JsonObject().put("id", id).put("subscribe", new JsonObject()).encode();
        } else {
          continue; // pong
        }
        reply.append(reply.length() == 0 ? "" : "\n").append(out);
      }
      if (reply.length() > 0) {
        ws.writeTextMessage(reply.toString());
      }
    }));
    server.requestHandler(req -> req.body().onSuccess(b -> {
      JsonObject body = b.toJsonObject();
      JsonObject result;
      if (req.path().equals("/api/publish")) {
        deliver(body);
        result = new JsonObject();
      } else {
        JsonArray replies = new JsonArray();
        for (Object c : body.getJsonArray("commands")) {
          deliver(((JsonObject) c).getJsonObject("publish"));
          replies.add(new JsonObject().put("publish", new JsonObject()));
        }
        result = new JsonObject().put("replies", replies);
      }
      req.response().end(new JsonObject().put("result", result).encode());
    }));
    return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
  }

  private void deliver(JsonObject publish) {
    String ch = publish.getString("channel");
    JsonObject data = publish.getJsonObject("data");
    long seq = data.getLong("sim_seq");
    String frame = "{\"push\":{\"channel\":\"" + ch + "\",\"pub\":{\"data\":" + data.encode() + "}}}";
    List<ServerWebSocket> subs = channels.getOrDefault(ch, List.of());
    for (int i = 0; i < subs.size(); i++) {
      ServerWebSocket ws = subs.get(i);
      if (i == 0 && seq == 3) {
        continue;
      }
      if (i == 1 && seq == 7) {
        held = seq;
        heldFrame = frame;
        continue;
      }
      ws.writeTextMessage(frame);
      if (i == 0 && seq == 5) {
        ws.writeTextMessage(frame);
      }
      if (i == 1 && seq == 8 && held == 7) {
        ws.writeTextMessage(heldFrame);
      }
    }
  }

  Future<Void> close() {
    return server.close();
  }
}
