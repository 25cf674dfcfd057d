package io.switchboard.notify.push;

import io.switchboard.config.EndpointAllowlist;
import io.switchboard.config.PushConfig;
import io.switchboard.crypto.P256;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks what clients and the server API say about a device, the same for the {@code push.register} RPC and the
 * {@code device_*} API methods: bad input is error 107, a platform that is not configured 108, a Web Push
 * endpoint outside {@code push.allowed_endpoints} 103 (the server would POST to it).
 */
public final class DeviceInput {
  public static final Set<String> PLATFORMS = Set.of(PushDevice.FCM, PushDevice.APNS, PushDevice.WEBPUSH);
  /** Centrifugo PRO's {@code platform} values, which accompany its {@code provider}: accepted and not stored. */
  private static final Set<String> PRO_PLATFORMS = Set.of("ios", "android", "web");
  private static final Pattern APNS_TOKEN = Pattern.compile("[0-9a-fA-F]{16,200}");
  private static final Pattern FCM_TOKEN = Pattern.compile("[\\x21-\\x7e]{1," + DeviceRegistry.MAX_TOKEN_LENGTH + "}");

  private DeviceInput() {}

  /** {@code platform} ({@code fcm}, {@code apns}, {@code webpush}), or Centrifugo PRO's {@code provider}. */
  public static String platform(JsonObject args) {
    Object provider = args.getValue("provider");
    Object platform = args.getValue("platform");
    Object value = provider != null && !"".equals(provider) ? provider : platform;
    if (!(value instanceof String p) || !PLATFORMS.contains(p)) {
      if (value instanceof String p && PRO_PLATFORMS.contains(p)) {
        throw new CoreException(Failure.BAD_REQUEST, "provider (fcm, apns or webpush) required beside platform " + p);
      }
      throw new CoreException(Failure.BAD_REQUEST, "platform must be fcm, apns or webpush");
    }
    if (provider != null && platform != null && !provider.equals(platform) && !PRO_PLATFORMS.contains(platform)) {
      throw new CoreException(Failure.BAD_REQUEST, "platform must be fcm, apns or webpush");
    }
    return (String) value;
  }

  /** Refuses (108) a platform this server has no provider for. */
  public static void requireEnabled(PushConfig push, String platform) {
    boolean on = switch (platform) {
      case PushDevice.FCM -> push.fcm() != null;
      case PushDevice.APNS -> push.apns() != null;
      default -> push.enabled();
    };
    if (!on) {
      throw new CoreException(Failure.NOT_AVAILABLE, platform + " push is not configured on this server");
    }
  }

  /** The platforms this server can send to. */
  public static Set<String> enabled(PushConfig push) {
    Set<String> on = new java.util.HashSet<>();
    for (String p : PLATFORMS) {
      try {
        requireEnabled(push, p);
        on.add(p);
      } catch (CoreException off) {
        // not configured
      }
    }
    return on;
  }

  /** The provider token: an FCM registration token, APNs hex (stored lower case), a Web Push endpoint. */
  public static String token(PushConfig push, String platform, JsonObject args) {
    Object value = PushDevice.WEBPUSH.equals(platform) && args.getValue("token") == null
        ? args.getValue("endpoint") : args.getValue("token");
    if (!(value instanceof String token) || token.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, PushDevice.WEBPUSH.equals(platform) ? "endpoint required"
          : "token required");
    }
    switch (platform) {
      case PushDevice.APNS -> {
        if (!APNS_TOKEN.matcher(token).matches()) {
          throw new CoreException(Failure.BAD_REQUEST, "an APNs device token is hexadecimal");
        }
        return token.toLowerCase(Locale.ROOT);
      }
      case PushDevice.FCM -> {
        if (!FCM_TOKEN.matcher(token).matches()) {
          throw new CoreException(Failure.BAD_REQUEST, "an FCM token is printable ASCII, at most "
              + DeviceRegistry.MAX_TOKEN_LENGTH + " characters");
        }
        return token;
      }
      default -> {
        return endpoint(push, token);
      }
    }
  }

  /** A Web Push endpoint, checked against push.allowed_endpoints: 107 if malformed, 103 if not allowed. */
  public static String endpoint(PushConfig push, String endpoint) {
    if (endpoint.length() > DeviceRegistry.MAX_TOKEN_LENGTH) {
      throw new CoreException(Failure.BAD_REQUEST, "endpoint too long");
    }
    try {
      push.allowlist().check(endpoint);
    } catch (EndpointAllowlist.Refused r) {
      throw new CoreException(r.malformed ? Failure.BAD_REQUEST : Failure.PERMISSION_DENIED, r.getMessage());
    }
    return endpoint;
  }

  /** A Web Push subscription's {@code keys {p256dh, auth}}: {@code [p256dh, auth]} canonical base64url. */
  public static String[] webPushKeys(JsonObject args) {
    if (!(args.getValue("keys") instanceof JsonObject keys)) {
      throw new CoreException(Failure.BAD_REQUEST, "keys {p256dh, auth} required");
    }
    String p256dh = key(keys, "p256dh", 65);
    String auth = key(keys, "auth", 16);
    try {
      P256.publicKey(P256.b64(p256dh));
    } catch (IllegalArgumentException e) {
      throw new CoreException(Failure.BAD_REQUEST, "keys.p256dh: " + e.getMessage());
    }
    return new String[] {p256dh, auth};
  }

  private static String key(JsonObject keys, String name, int bytes) {
    if (!(keys.getValue(name) instanceof String s) || s.length() > 200) {
      throw new CoreException(Failure.BAD_REQUEST, "keys." + name + " must be a base64url string");
    }
    byte[] raw;
    try {
      raw = P256.b64(s);
    } catch (IllegalArgumentException e) {
      throw new CoreException(Failure.BAD_REQUEST, "keys." + name + " is not base64url");
    }
    if (raw.length != bytes) {
      throw new CoreException(Failure.BAD_REQUEST, "keys." + name + " must be " + bytes + " bytes");
    }
    return P256.b64(raw); // canonical: unpadded base64url
  }

  /** Optional topic list: null when absent. */
  public static List<String> topics(Object value, String name) {
    if (value == null) {
      return null;
    }
    List<String> topics = strings(value, name, DeviceRegistry.MAX_TOPICS);
    for (String t : topics) {
      if (t.isEmpty() || t.length() > DeviceRegistry.MAX_TOPIC_LENGTH) {
        throw new CoreException(Failure.BAD_REQUEST, name + ": a topic is 1 to " + DeviceRegistry.MAX_TOPIC_LENGTH
            + " characters");
      }
    }
    return topics;
  }

  /** Optional meta object, at most {@value DeviceRegistry#MAX_META_BYTES} bytes as JSON: null when absent. */
  public static JsonObject meta(Object value) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject meta)) {
      throw new CoreException(Failure.BAD_REQUEST, "meta must be an object");
    }
    if (meta.encode().getBytes(StandardCharsets.UTF_8).length > DeviceRegistry.MAX_META_BYTES) {
      throw new CoreException(Failure.BAD_REQUEST, "meta larger than " + DeviceRegistry.MAX_META_BYTES + " bytes");
    }
    return meta;
  }

  /** An optional array of strings (empty when absent), at most {@code max} of them. */
  public static List<String> strings(Object value, String name, int max) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof JsonArray a)) {
      throw new CoreException(Failure.BAD_REQUEST, name + " must be an array of strings");
    }
    if (a.size() > max) {
      throw new CoreException(Failure.LIMIT_EXCEEDED, name + ": at most " + max);
    }
    List<String> out = new ArrayList<>(a.size());
    for (Object o : a) {
      if (!(o instanceof String s)) {
        throw new CoreException(Failure.BAD_REQUEST, name + " must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }

  /** {@code add}, {@code remove} or {@code set}. */
  public static String topicOp(Object value) {
    if (!(value instanceof String op) || !Set.of("add", "remove", "set").contains(op)) {
      throw new CoreException(Failure.BAD_REQUEST, "op must be add, remove or set");
    }
    return op;
  }
}
