package io.switchboard.core;

import io.switchboard.broker.Hub;
import io.switchboard.channel.ChannelName;
import io.switchboard.channel.ChannelPolicy;
import io.switchboard.config.ChannelConfig;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.history.HistoryStore;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.notify.PushQueue;
import io.switchboard.ops.Metrics;
import io.switchboard.presence.PresenceRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One notification into the inbox ({@code notify:#<user>}) of each of many users: one transaction with a
 * constant number of statements ({@link HistoryStore#appendToEach}), push jobs for the users with no live
 * connection in that same transaction, then live delivery to their connections on every node.
 */
public final class Notifying {
  private final ChannelPolicy policy;
  private final ChannelConfig channels;
  private final PresenceRegistry presence;
  private final Hub hub;
  private final HistoryStore history;
  private final PushQueue pushQueue;
  private final Publishing publishing;
  private final Metrics metrics;

  public Notifying(ChannelPolicy policy, ChannelConfig channels, PresenceRegistry presence, Hub hub,
      HistoryStore history, PushQueue pushQueue, Publishing publishing, Metrics metrics) {
    this.policy = policy;
    this.channels = channels;
    this.presence = presence;
    this.hub = hub;
    this.history = history;
    this.pushQueue = pushQueue;
    this.publishing = publishing;
    this.metrics = metrics;
  }

  /**
   * Whom a call notifies: each distinct user (first occurrence wins, input order kept) with its personal
   * channel, or the {@link CoreException} why its name cannot be one; {@code notified} lists the others.
   */
  public record Targets(Map<String, Object> byUser, List<String> channels, List<String> notified) {}

  /** Resolves the users of a call; {@code users} are the request's values (anything but a string is refused). */
  public Targets targets(List<?> users) {
    String namespace = channels.personalNamespace();
    NamespaceOptions ns = channels.namespace(namespace);
    if (ns == null || !ns.history()) {
      throw new CoreException(Failure.NOT_AVAILABLE, "the personal namespace has no history");
    }
    Map<String, Object> byUser = new LinkedHashMap<>();
    List<String> chans = new ArrayList<>();
    List<String> notified = new ArrayList<>();
    for (Object u : users) {
      if (!(u instanceof String user)) {
        throw new CoreException(Failure.BAD_REQUEST, "users must be an array of strings");
      }
      if (byUser.containsKey(user)) {
        continue;
      }
      Object target = channelOf(namespace, user);
      byUser.put(user, target);
      if (target instanceof String channel) {
        chans.add(channel);
        notified.add(user);
      }
    }
    return new Targets(byUser, chans, notified);
  }

  /**
   * Appends {@code data} to every target's inbox and delivers it. With {@code push}, the users offline
   * everywhere get a push job each. With an idempotency key, {@code response} renders what the call answers
   * (stored with the appends, so a retry gets it back and notifies nobody again).
   */
  public Future<HistoryStore.BulkAppendResult> notify(Targets t, String data, JsonObject push, String idempotencyKey,
      Function<List<HistoryStore.AppendResult>, String> response) {
    PublicationData.check(data.getBytes(java.nio.charset.StandardCharsets.UTF_8), true, publishing.limits());
    long acceptedAt = System.currentTimeMillis();
    HistoryStore.Once once = idempotencyKey == null || idempotencyKey.isEmpty() ? null
        : new HistoryStore.Once(Notifying.SCOPE, idempotencyKey, response);
    metrics.published(t.channels().size());
    NamespaceOptions ns = channels.namespace(channels.personalNamespace());
    // Who is offline is known before the append (presence is in memory); their push jobs are inserted in the
    // same transaction as the notifications, so a crash can't keep one and lose the other.
    Future<Set<String>> offline = push == null ? Future.succeededFuture(Set.of()) : offlineUsers(ns, t.notified());
    return offline.compose(away -> {
      HistoryStore.InTransaction jobs = away.isEmpty() ? HistoryStore.InTransaction.NONE
          : (tx, results) -> pushQueue.enqueue(tx, pushJobs(t.notified(), results, away, push));
      byte[] bytes = data.getBytes(java.nio.charset.StandardCharsets.UTF_8); // JSON text: the API parsed it
      return history.appendToEach(t.channels(), bytes, true, Map.of(), once, jobs).map(bulk -> {
        if (!bulk.duplicate()) {
          if (!away.isEmpty()) {
            pushQueue.committed();
          }
          publishing.committedToEach(bulk.results(), acceptedAt);
        }
        return bulk;
      });
    });
  }

  /** The idempotency keys' scope in {@code api_idempotency}. */
  public static final String SCOPE = "notify";

  /** The user's personal channel, or why the name cannot be one (bad request, or the policy's own error). */
  private Object channelOf(String namespace, String user) {
    // ',' would make a channel shared by several users (notify:#a,b) and '#' moves the user list boundary.
    if (user.isEmpty() || user.indexOf(',') >= 0 || user.indexOf('#') >= 0) {
      return new CoreException(Failure.BAD_REQUEST, "invalid user name");
    }
    String channel = ChannelName.personal(namespace, user);
    try {
      policy.resolve(channel); // printable ASCII, length, the namespace's channel pattern
      return channel;
    } catch (CoreException e) {
      return e;
    }
  }

  /**
   * The notified users with no live connection anywhere. Online means a connection subscribed to the user's
   * personal channel: the presence of {@code notify:#<user>}, which a cluster mirrors on every node, so this
   * is a local lookup. Without presence in the personal namespace only this node's connections can be seen.
   */
  private Future<Set<String>> offlineUsers(NamespaceOptions ns, List<String> users) {
    String namespace = channels.personalNamespace();
    List<Future<Map<String, ClientInfo>>> found = new ArrayList<>(users.size());
    for (String user : users) {
      found.add(ns.presence() ? presence.get(ChannelName.personal(namespace, user))
          : Future.succeededFuture(Map.of()));
    }
    return Future.all(found).map(v -> {
      Set<String> away = new HashSet<>();
      for (int i = 0; i < users.size(); i++) {
        boolean online = ns.presence() ? !found.get(i).result().isEmpty() : hub.hasUser(users.get(i));
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
}
