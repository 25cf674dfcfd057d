package io.switchboard.api;

import io.switchboard.model.Failure;
import io.switchboard.Node;
import io.switchboard.channel.ChannelName;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.history.HistoryStore;
import io.switchboard.model.ClientInfo;
import io.switchboard.notify.PushQueue;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ReplyError;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code notify {users, data, push?, idempotency_key?}}: one notification into the inbox ({@code notify:#<user>})
 * of each of up to {@value #MAX_USERS} users, in one transaction with a constant number of statements
 * ({@link HistoryStore#appendToEach}), then delivered live to their connections on every node. The result is
 * {@code {results:{user:{offset, epoch} | {error:{code, message}}}}}, one entry per distinct user in input
 * order; a user name that cannot name a personal channel gets its own error and the others are notified.
 * With {@code push}, a Web Push job is queued for each notified user with no live connection anywhere. With
 * {@code idempotency_key}, a retried call notifies nobody again and answers the first call's result.
 */
final class NotifyMethod implements ApiMethod {
  static final int MAX_USERS = 10_000;
  static final int MAX_KEY_LENGTH = 256;
  /** The idempotency keys' scope in {@code api_idempotency}. */
  static final String SCOPE = "notify";
  private static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");

  @Override
  public Future<JsonObject> call(Node node, JsonObject p) {
    JsonArray users = JsonParams.optArray(p, "users");
    if (users == null || users.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "users required");
    }
    if (users.size() > MAX_USERS) {
      throw new CoreException(Failure.LIMIT_EXCEEDED, "at most " + MAX_USERS + " users");
    }
    String data = JsonParams.requiredData(p);
    JsonObject push = push(JsonParams.optObject(p, "push"));
    String key = JsonParams.optString(p, "idempotency_key");
    if (key != null && key.length() > MAX_KEY_LENGTH) {
      throw new CoreException(Failure.BAD_REQUEST, "idempotency_key longer than " + MAX_KEY_LENGTH);
    }
    String namespace = node.config.channels().personalNamespace();
    NamespaceOptions ns = node.config.channels().namespace(namespace);
    if (ns == null || !ns.history()) {
      throw new CoreException(Failure.NOT_AVAILABLE, "the personal namespace has no history");
    }
    // user -> its channel (String) or its error (ReplyError), first occurrence wins, input order kept.
    Map<String, Object> targets = new LinkedHashMap<>();
    List<String> channels = new ArrayList<>();
    List<String> notified = new ArrayList<>();
    for (Object u : users) {
      if (!(u instanceof String user)) {
        throw new CoreException(Failure.BAD_REQUEST, "users must be an array of strings");
      }
      if (targets.containsKey(user)) {
        continue;
      }
      Object target = channelOf(node, namespace, user);
      targets.put(user, target);
      if (target instanceof String channel) {
        channels.add(channel);
        notified.add(user);
      }
    }
    long acceptedAt = System.currentTimeMillis();
    HistoryStore.Once once = key == null || key.isEmpty() ? null
        : new HistoryStore.Once(SCOPE, key, results -> response(targets, results).encode());
    node.metrics.published(channels.size());
    // Who is offline is known before the append (presence is in memory); their push jobs are inserted in the
    // same transaction as the notifications, so a crash can't keep one and lose the other.
    Future<Set<String>> offline = push == null ? Future.succeededFuture(Set.of()) : offlineUsers(node, ns, notified);
    return offline.compose(away -> {
      HistoryStore.InTransaction jobs = away.isEmpty() ? HistoryStore.InTransaction.NONE
          : (tx, results) -> node.pushQueue.enqueue(tx, pushJobs(notified, results, away, push));
      return node.history.appendToEach(channels, data, Map.of(), once, jobs).map(bulk -> {
        if (bulk.duplicate()) {
          return new JsonObject(bulk.response());
        }
        if (!away.isEmpty()) {
          node.pushQueue.committed();
        }
        node.broker.deliverCommitted(bulk.results(), acceptedAt);
        return bulk.response() != null ? new JsonObject(bulk.response()) : response(targets, bulk.results());
      });
    });
  }

  /** The user's personal channel, or why the name cannot be one (107, or the channel rules' own error). */
  private static Object channelOf(Node node, String namespace, String user) {
    // ',' would make a channel shared by several users (notify:#a,b) and '#' moves the user list boundary.
    if (user.isEmpty() || user.indexOf(',') >= 0 || user.indexOf('#') >= 0) {
      return ErrorCode.BAD_REQUEST.error("invalid user name");
    }
    String channel = ChannelName.personal(namespace, user);
    try {
      node.rules.resolve(channel); // printable ASCII, length, the namespace's channel pattern
      return channel;
    } catch (CoreException e) {
      return ErrorCode.reply(e);
    }
  }

  /** {@code {results:{user: {offset, epoch} | {error}}}}; {@code results} are the notified users' appends, in order. */
  private static JsonObject response(Map<String, Object> targets, List<HistoryStore.AppendResult> results) {
    JsonObject out = new JsonObject();
    int i = 0;
    for (Map.Entry<String, Object> e : targets.entrySet()) {
      if (e.getValue() instanceof ReplyError error) {
        out.put(e.getKey(), new JsonObject().put("error", ApiErrors.json(error)));
      } else {
        HistoryStore.AppendResult r = results.get(i++);
        out.put(e.getKey(), new JsonObject().put("offset", r.top().offset()).put("epoch", r.top().epoch()));
      }
    }
    return new JsonObject().put("results", out);
  }

  /**
   * The notified users with no live connection anywhere. Online means a connection subscribed to the user's
   * personal channel: the presence of {@code notify:#<user>}, which a cluster mirrors on every node, so this
   * is a local lookup. Without presence in the personal namespace only this node's connections can be seen.
   */
  private static Future<Set<String>> offlineUsers(Node node, NamespaceOptions ns, List<String> users) {
    String namespace = node.config.channels().personalNamespace();
    List<Future<Map<String, ClientInfo>>> presence = new ArrayList<>(users.size());
    for (String user : users) {
      presence.add(ns.presence() ? node.presence.get(ChannelName.personal(namespace, user))
          : Future.succeededFuture(Map.of()));
    }
    return Future.all(presence).map(v -> {
      Set<String> away = new java.util.HashSet<>();
      for (int i = 0; i < users.size(); i++) {
        boolean online = ns.presence() ? !presence.get(i).result().isEmpty() : node.hub.hasUser(users.get(i));
        if (!online) {
          away.add(users.get(i));
        }
      }
      return away;
    });
  }

  /** One job per offline user, for the notification each got ({@code results} are in {@code users} order). */
  private static List<PushQueue.PushJob> pushJobs(List<String> users, List<HistoryStore.AppendResult> results,
      Set<String> away, JsonObject push) {
    List<PushQueue.PushJob> jobs = new ArrayList<>();
    for (int i = 0; i < users.size(); i++) {
      if (away.contains(users.get(i))) {
        var pub = results.get(i).publications().get(0);
        jobs.add(new PushQueue.PushJob(users.get(i), pub.channel(), pub.offset(), push));
      }
    }
    return jobs;
  }

  /** {@code push {title?, body?, url?, ttl?, urgency?}}, checked; null when absent. */
  private static JsonObject push(JsonObject push) {
    if (push == null) {
      return null;
    }
    for (String k : List.of("title", "body", "url")) {
      JsonParams.optString(push, k);
    }
    if (JsonParams.optString(push, "title") == null && JsonParams.optString(push, "body") == null) {
      throw new CoreException(Failure.BAD_REQUEST, "push needs a title or a body");
    }
    if (JsonParams.optLong(push, "ttl", 0) < 0) {
      throw new CoreException(Failure.BAD_REQUEST, "push.ttl must not be negative");
    }
    String urgency = JsonParams.optString(push, "urgency");
    if (urgency != null && !URGENCIES.contains(urgency)) {
      throw new CoreException(Failure.BAD_REQUEST, "push.urgency must be one of " + URGENCIES);
    }
    return push.copy();
  }
}
