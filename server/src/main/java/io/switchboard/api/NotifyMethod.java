package io.switchboard.api;

import io.switchboard.core.Notifying;
import io.switchboard.model.Failure;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.history.HistoryStore;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * {@code notify {users, data, push?, idempotency_key?}}: one notification into the inbox ({@code notify:#<user>})
 * of each of up to {@value #MAX_USERS} users, in one transaction with a constant number of statements
 * ({@link HistoryStore#appendToEach}), then delivered live to their connections on every node. The result is
 * {@code {results:{user:{offset, epoch} | {error:{code, message}}}}}, one entry per distinct user in input
 * order; a user name that cannot name a personal channel gets its own error and the others are notified.
 * With {@code push}, a push job is queued for each notified user with no live connection anywhere, to all their
 * devices (FCM, APNs, Web Push). With
 * {@code idempotency_key}, a retried call notifies nobody again and answers the first call's result.
 */
final class NotifyMethod implements ApiMethod {
  static final int MAX_USERS = 10_000;
  static final int MAX_KEY_LENGTH = 256;

  private final Notifying notifying;

  NotifyMethod(Notifying notifying) {
    this.notifying = notifying;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
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
    Notifying.Targets targets = notifying.targets(users.getList());
    return notifying.notify(targets, data, push, key, results -> response(targets, results).encode())
        .map(bulk -> bulk.response() != null ? new JsonObject(bulk.response()) : response(targets, bulk.results()));
  }

  /** {@code {results:{user: {offset, epoch} | {error}}}}; {@code results} are the notified users' appends, in order. */
  private static JsonObject response(Notifying.Targets targets, List<HistoryStore.AppendResult> results) {
    JsonObject out = new JsonObject();
    int i = 0;
    for (Map.Entry<String, Object> e : targets.byUser().entrySet()) {
      if (e.getValue() instanceof CoreException refused) {
        out.put(e.getKey(), new JsonObject().put("error", ApiErrors.json(ErrorCode.reply(refused))));
      } else {
        HistoryStore.AppendResult r = results.get(i++);
        out.put(e.getKey(), new JsonObject().put("offset", r.top().offset()).put("epoch", r.top().epoch()));
      }
    }
    return new JsonObject().put("results", out);
  }

  /** {@code push {title?, body?, url?, data?, ttl?, urgency?, fcm?, apns?, webpush?}}, checked; null when absent. */
  private static JsonObject push(JsonObject push) {
    if (push == null) {
      return null;
    }
    if (push.containsKey("badge") || push.containsKey("expire_at")) {
      throw new CoreException(Failure.BAD_REQUEST, "push.badge and push.expire_at are set by the server "
          + "(the unread count; ttl)");
    }
    return PushPayload.check(push, "push", true);
  }
}
