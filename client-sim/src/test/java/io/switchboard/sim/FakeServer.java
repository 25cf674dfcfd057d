package io.switchboard.sim;

import com.google.protobuf.ByteString;
import io.switchboard.codec.protobuf.wire.Command;
import io.switchboard.codec.protobuf.wire.ConnectResult;
import io.switchboard.codec.protobuf.wire.Publication;
import io.switchboard.codec.protobuf.wire.Push;
import io.switchboard.codec.protobuf.wire.Reply;
import io.switchboard.codec.protobuf.wire.SubscribeResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few lines of the protocol, enough to drive client-sim end to end without the real server: connect,
 * subscribe, ping/pong, API publish and batch into ephemeral channels, in JSON or (with {@code ?cf_protocol=protobuf})
 * in Protobuf, where it pings every client in its connect reply's message. It misbehaves on purpose so that the
 * checks can be seen to work: publication 3 never reaches the first subscriber, publication 5 reaches it twice,
 * and publications 7 and 8 reach the second subscriber swapped.
 */
final class FakeServer {
  private final Vertx vertx;
  private final Map<String, List<ServerWebSocket>> channels = new HashMap<>();
  private final Set<ServerWebSocket> protobuf = new HashSet<>();
  /** Empty commands (pongs) received from Protobuf clients. */
  final AtomicInteger pongs = new AtomicInteger();
  private HttpServer server;
  private long held = -1;
  private Object heldFrame;

  FakeServer(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Integer> start() {
    server = vertx.createHttpServer();
    server.webSocketHandler(ws -> {
      if (ws.query() != null && ws.query().contains("cf_protocol=protobuf")) {
        protobuf.add(ws);
        ws.binaryMessageHandler(b -> protobufCommands(ws, b));
      } else {
        ws.textMessageHandler(text -> jsonCommands(ws, text));
      }
    });
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

  private void jsonCommands(ServerWebSocket ws, String text) {
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
  }

  private void protobufCommands(ServerWebSocket ws, Buffer message) {
    ByteArrayInputStream in = new ByteArrayInputStream(message.getBytes());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      while (in.available() > 0) {
        Command cmd = Command.parseDelimitedFrom(in);
        if (cmd.equals(Command.getDefaultInstance())) {
          pongs.incrementAndGet();
        } else if (cmd.hasConnect()) {
          Reply.getDefaultInstance().writeDelimitedTo(out); // a ping, ahead of the connect reply
          Reply.newBuilder().setId(cmd.getId()).setConnect(ConnectResult.newBuilder().setClient("c" + cmd.getId())
              .setVersion("fake").setPing(25).setPong(true)).build().writeDelimitedTo(out);
        } else if (cmd.hasSubscribe()) {
          channels.computeIfAbsent(cmd.getSubscribe().getChannel(), c -> new ArrayList<>()).add(ws);
          Reply.newBuilder().setId(cmd.getId()).setSubscribe(SubscribeResult.getDefaultInstance()).build()
              .writeDelimitedTo(out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (out.size() > 0) {
      ws.writeBinaryMessage(Buffer.buffer(out.toByteArray()));
    }
  }

  private void deliver(JsonObject publish) {
    String ch = publish.getString("channel");
    JsonObject data = publish.getJsonObject("data");
    long seq = data.getLong("sim_seq");
    String frame = "{\"push\":{\"channel\":\"" + ch + "\",\"pub\":{\"data\":" + data.encode() + "}}}";
    Buffer binary = delimited(Reply.newBuilder().setPush(Push.newBuilder().setChannel(ch)
        .setPub(Publication.newBuilder().setData(ByteString.copyFromUtf8(data.encode())))).build());
    List<ServerWebSocket> subs = channels.getOrDefault(ch, List.of());
    for (int i = 0; i < subs.size(); i++) {
      ServerWebSocket ws = subs.get(i);
      if (i == 0 && seq == 3) {
        continue;
      }
      Object f = protobuf.contains(ws) ? binary : frame;
      if (i == 1 && seq == 7) {
        held = seq;
        heldFrame = f;
        continue;
      }
      write(ws, f);
      if (i == 0 && seq == 5) {
        write(ws, f);
      }
      if (i == 1 && seq == 8 && held == 7) {
        write(ws, heldFrame);
      }
    }
  }

  private static void write(ServerWebSocket ws, Object frame) {
    if (frame instanceof Buffer b) {
      ws.writeBinaryMessage(b);
    } else {
      ws.writeTextMessage((String) frame);
    }
  }

  private static Buffer delimited(Reply reply) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      reply.writeDelimitedTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Buffer.buffer(out.toByteArray());
  }

  Future<Void> close() {
    return server.close();
  }
}
