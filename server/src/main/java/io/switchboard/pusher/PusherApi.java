package io.switchboard.pusher;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.config.PusherConfig;
import io.switchboard.core.Core;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Pusher HTTP API ({@code /apps/{id}/...}), each request checked by {@link PusherHttpAuth}: events and
 * batch events published through the core (so stored, if the namespace keeps history, and fanned out to every
 * node), and the channel queries answered from the node's subscriber counts and presence.
 */
public final class PusherApi {
  /** Pusher's limits: channels per event, events per batch. */
  static final int MAX_CHANNELS = 100;
  static final int MAX_BATCH = 10;

  private final Core core;
  private final PusherApps apps;
  private final PusherChannels channels;

  private PusherApi(Core core, PusherConfig config) {
    this.core = core;
    this.apps = new PusherApps(config);
    this.channels = new PusherChannels(core.policy());
  }

  /** Mounts the routes when any app is configured. */
  public static void mount(Router router, Core core, PusherConfig config, long maxBodyBytes) {
    if (!config.enabled()) {
      return;
    }
    PusherApi api = new PusherApi(core, config);
    router.route("/apps/:id/*").handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(api::auth);
    router.post("/apps/:id/events").handler(ctx -> api.answer(ctx, api.events(ctx)));
    router.post("/apps/:id/batch_events").handler(ctx -> api.answer(ctx, api.batch(ctx)));
    router.get("/apps/:id/channels").handler(ctx -> api.answer(ctx, api.channelList(ctx)));
    router.get("/apps/:id/channels/:name").handler(ctx -> api.answer(ctx, api.channelInfo(ctx)));
    router.get("/apps/:id/channels/:name/users").handler(ctx -> api.answer(ctx, api.users(ctx)));
    router.post("/apps/:id/users/:user/terminate_connections").handler(ctx -> api.answer(ctx, api.terminate(ctx)));
  }

  private PusherConfig.App app(RoutingContext ctx) {
    return apps.byId(ctx.pathParam("id"));
  }

  private void auth(RoutingContext ctx) {
    PusherConfig.App app = app(ctx);
    if (app == null) {
      ctx.response().setStatusCode(404).end("Unknown app");
      return;
    }
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
    String refusal = PusherHttpAuth.refusal(app, ctx.request().method().name(), ctx.request().path(),
        ctx.queryParams(), body, System.currentTimeMillis() / 1000);
    if (refusal != null) {
      ctx.response().setStatusCode(401).end(refusal);
    } else {
      ctx.next();
    }
  }

  /** Answers on the request's own event loop (strict thread mode), wherever the result completed. */
  private void answer(RoutingContext ctx, Future<JsonObject> result) {
    io.vertx.core.Context requestContext = io.vertx.core.Vertx.currentContext();
    result.onComplete(ar -> requestContext.runOnContext(v -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Content-Type", "application/json").end(ar.result().encode());
      } else {
        Failure f = PusherErrors.failure(ar.cause());
        String detail = ar.cause() instanceof CoreException ce && ce.detail() != null ? ce.detail() : f.name();
        ctx.response().setStatusCode(PusherErrors.status(f)).end(detail);
      }
    }));
  }

  private static CoreException bad(String why) {
    return new CoreException(Failure.BAD_REQUEST, why);
  }

  private JsonObject body(RoutingContext ctx) {
    try {
      return ctx.body().asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw bad("The body must be a JSON object");
    }
  }

  private Future<JsonObject> events(RoutingContext ctx) {
    try {
      JsonObject e = body(ctx);
      if (e == null) {
        throw bad("The body must be a JSON object");
      }
      Set<String> names = new LinkedHashSet<>();
      if (e.getValue("channels") instanceof JsonArray list) {
        list.forEach(c -> names.add(String.valueOf(c)));
      }
      if (e.getValue("channel") instanceof String c) {
        names.add(c);
      }
      if (names.isEmpty() || names.size() > MAX_CHANNELS) {
        throw bad("Give 1 to " + MAX_CHANNELS + " channels");
      }
      List<Future<?>> sent = new ArrayList<>();
      for (String channel : names) {
        sent.add(publish(app(ctx), channel, e));
      }
      return Future.all(sent).map(v -> new JsonObject());
    } catch (CoreException ex) {
      return Future.failedFuture(ex);
    }
  }

  private Future<JsonObject> batch(RoutingContext ctx) {
    try {
      JsonObject b = body(ctx);
      if (b == null || !(b.getValue("batch") instanceof JsonArray list) || list.isEmpty()
          || list.size() > MAX_BATCH) {
        throw bad("batch must list 1 to " + MAX_BATCH + " events");
      }
      List<Future<?>> sent = new ArrayList<>();
      for (Object o : list) {
        if (!(o instanceof JsonObject e) || !(e.getValue("channel") instanceof String channel)) {
          throw bad("each batch event needs a channel");
        }
        sent.add(publish(app(ctx), channel, e));
      }
      return Future.all(sent).map(v -> new JsonObject().put("batch", new JsonArray(
          java.util.Collections.nCopies(list.size(), new JsonObject()))));
    } catch (CoreException ex) {
      return Future.failedFuture(ex);
    }
  }

  /** One event into one channel: {@code name}, {@code data} (a string), optional {@code socket_id} to skip. */
  private Future<?> publish(PusherConfig.App app, String channel, JsonObject e) {
    if (!PusherChannels.valid(channel)) {
      throw bad("Invalid channel name '" + channel + "'");
    }
    if (!(e.getValue("name") instanceof String name) || name.isEmpty() || name.length() > 200) {
      throw bad("name must be a string of 1 to 200 characters");
    }
    Object data = e.getValue("data");
    byte[] bytes = storedData(data instanceof String s ? s : Json.encode(data));
    Map<String, String> tags = new HashMap<>();
    tags.put(PusherCodec.TAG_EVENT, name);
    if (e.getValue("socket_id") instanceof String socket && !socket.isEmpty()) {
      tags.put(PusherCodec.TAG_SOCKET, socket);
    }
    NamespaceOptions ns = channels.options(app.id(), channel);
    return core.publishing().byServer(PusherChannels.switchboard(app.id(), channel), ns, bytes, true, tags, null,
        false);
  }

  /**
   * What a Pusher {@code data} string is stored as: the JSON it holds, compacted (so Centrifugo clients in the
   * channel see that JSON), or else the string itself as a JSON string. Delivered back as the same text.
   */
  static byte[] storedData(String data) {
    Object parsed;
    try {
      parsed = Json.decodeValue(data);
    } catch (DecodeException e) {
      parsed = data;
    }
    if (parsed instanceof String) {
      parsed = data; // "\"x\"" would lose its quotes otherwise
    }
    return Json.encode(parsed).getBytes(StandardCharsets.UTF_8);
  }

  private Future<JsonObject> channelList(RoutingContext ctx) {
    String id = app(ctx).id();
    String filter = ctx.queryParams().get("filter_by_prefix");
    return core.stats().channels().map(counts -> {
      JsonObject out = new JsonObject();
      counts.forEach((channel, n) -> {
        String name = PusherChannels.pusherName(channel);
        if (n > 0 && PusherChannels.valid(name) && channel.equals(PusherChannels.switchboard(id, name))
            && (filter == null || name.startsWith(filter))) {
          out.put(name, new JsonObject());
        }
      });
      return new JsonObject().put("channels", out);
    });
  }

  private Future<JsonObject> channelInfo(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!PusherChannels.valid(name)) {
      return Future.failedFuture(bad("Invalid channel name"));
    }
    String channel = PusherChannels.switchboard(app(ctx).id(), name);
    Future<JsonObject> base = core.stats().channels().map(counts -> {
      int n = counts.getOrDefault(channel, 0);
      JsonObject out = new JsonObject().put("occupied", n > 0);
      String info = ctx.queryParams().get("info");
      if (info != null && info.contains("subscription_count")) {
        out.put("subscription_count", n);
      }
      return out;
    });
    String info = ctx.queryParams().get("info");
    if (!PusherChannels.isPresence(name) || info == null || !info.contains("user_count")) {
      return base;
    }
    return base.compose(out -> core.presence().statsForServer(channel, channels.options(app(ctx).id(), name))
        .map(stats -> out.put("user_count", stats.numUsers())));
  }

  /**
   * Closes the signed-in user's connections on every node (the core's cluster-wide disconnect), with 4009 as
   * Pusher does: pusher-js does not reconnect on it.
   */
  private Future<JsonObject> terminate(RoutingContext ctx) {
    String user = ctx.pathParam("user");
    if (user == null || user.isEmpty() || user.indexOf(0) >= 0) {
      return Future.failedFuture(bad("Give a user id"));
    }
    return core.users().disconnect(PusherSignin.hubUser(app(ctx).id(), user), null, PusherErrors.UNAUTHORIZED,
        "Connections terminated by the app").map(v -> new JsonObject());
  }

  private Future<JsonObject> users(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    if (!PusherChannels.valid(name) || !PusherChannels.isPresence(name)) {
      return Future.failedFuture(bad("Only presence channels have users"));
    }
    String channel = PusherChannels.switchboard(app(ctx).id(), name);
    return core.presence().forServer(channel, channels.options(app(ctx).id(), name)).map(clients -> {
      Set<String> ids = new LinkedHashSet<>();
      clients.values().forEach(c -> ids.add(c.user()));
      JsonArray users = new JsonArray();
      ids.forEach(id -> users.add(new JsonObject().put("id", id)));
      return new JsonObject().put("users", users);
    });
  }
}
