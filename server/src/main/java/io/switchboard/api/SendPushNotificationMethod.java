package io.switchboard.api;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.notify.PushQueue;
import io.switchboard.notify.push.DeviceInput;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * {@code send_push_notification {recipient: {filter: {devices?, users?, topics?, providers?}}, notification:
 * {title?, body?, url?, data?, badge?, urgency?, fcm?, apns?, webpush?, expire_at?}, send_at?, uid?}}: queues
 * the notification for every matching device (of the platforms configured here) and answers
 * {@code {uid, devices}}. The devices are picked when the call is accepted. {@code send_at} and
 * {@code expire_at} are Unix seconds: due then, dropped unsent after (default: a day after it is due).
 */
final class SendPushNotificationMethod implements ApiMethod {
  static final int MAX_RECIPIENTS = 10_000;
  static final Duration DEFAULT_TTL = Duration.ofDays(1);
  static final Duration MAX_AHEAD = Duration.ofDays(28);
  private static final Pattern UID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final PushApi push;

  SendPushNotificationMethod(PushApi push) {
    this.push = push;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    JsonObject recipient = JsonParams.optObject(p, "recipient");
    JsonObject filter = recipient == null ? null : JsonParams.optObject(recipient, "filter");
    if (filter == null) {
      throw new CoreException(Failure.BAD_REQUEST, "recipient.filter required");
    }
    List<String> devices = DeviceInput.strings(filter.getValue("devices", filter.getValue("ids")), "devices",
        MAX_RECIPIENTS);
    List<String> users = DeviceInput.strings(filter.getValue("users"), "users", MAX_RECIPIENTS);
    List<String> topics = DeviceInput.topics(filter.getValue("topics"), "topics");
    topics = topics == null ? List.of() : topics;
    if (devices.isEmpty() && users.isEmpty() && topics.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "recipient.filter needs devices, users or topics");
    }
    Set<String> platforms = DeviceInput.enabled(push.config());
    List<String> asked = DeviceInput.strings(filter.getValue("providers", filter.getValue("platforms")),
        "providers", 3);
    if (!asked.isEmpty()) {
      for (String a : asked) {
        if (!DeviceInput.PLATFORMS.contains(a)) {
          throw new CoreException(Failure.BAD_REQUEST, "providers: fcm, apns or webpush");
        }
      }
      platforms = new HashSet<>(platforms);
      platforms.retainAll(asked);
    }
    if (platforms.isEmpty()) {
      throw new CoreException(Failure.NOT_AVAILABLE, "no push provider is configured for these devices");
    }
    JsonObject n = JsonParams.optObject(p, "notification");
    if (n == null) {
      throw new CoreException(Failure.BAD_REQUEST, "notification required");
    }
    n = PushPayload.check(n, "notification", false);
    Instant now = Instant.now();
    Instant sendAt = seconds(p, "send_at", now);
    Object expireValue = n.remove("expire_at");
    Instant expireAt = expireValue == null ? sendAt.plus(DEFAULT_TTL)
        : seconds(new JsonObject().put("expire_at", expireValue), "expire_at", null);
    if (sendAt.isAfter(now.plus(MAX_AHEAD)) || !expireAt.isAfter(sendAt)) {
      throw new CoreException(Failure.BAD_REQUEST, "send_at must be within 28 days, and expire_at after it");
    }
    String uid = JsonParams.optString(p, "uid");
    if (uid == null || uid.isEmpty()) {
      uid = UUID.randomUUID().toString();
    } else if (!UID.matcher(uid).matches()) {
      throw new CoreException(Failure.BAD_REQUEST, "uid: 1 to 64 of A-Z a-z 0-9 . _ : -");
    }
    String id = uid;
    return push.queue().send(new PushQueue.PushSend(devices, users, topics, platforms, n, uid, sendAt, expireAt))
        .map(count -> new JsonObject().put("uid", id).put("devices", count));
  }

  private static Instant seconds(JsonObject p, String key, Instant dflt) {
    if (p.getValue(key) == null) {
      return dflt;
    }
    long s = JsonParams.optLong(p, key, 0);
    if (s <= 0) {
      throw new CoreException(Failure.BAD_REQUEST, key + " must be Unix seconds");
    }
    return Instant.ofEpochSecond(s);
  }
}
