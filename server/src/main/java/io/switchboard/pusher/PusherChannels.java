package io.switchboard.pusher;

import io.switchboard.channel.ChannelPolicy;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.model.CoreException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The Pusher channel policy and its mapping onto Switchboard channels. A public Pusher channel {@code name} of
 * app {@code id} is the Switchboard channel {@code pusher_<id>:<name>}; a {@code private-} or {@code presence-}
 * one is {@code pusher-private_<id>:<name>}, a namespace of its own, so that opening the public namespace to
 * Centrifugo clients never opens the channels that need Pusher's auth (the two prefixes cannot collide for any
 * two app ids). Pusher names have no {@code :}, {@code #} or {@code $}, so no Centrifugo rule applies inside
 * them. The options come from the Centrifugo namespace of that name when one is configured (history, its size
 * and TTL: a Centrifugo client may then meet Pusher clients there), else from built-in options without history,
 * as Pusher has none. Who may subscribe
 * is decided here, not by the namespace's {@code allow_*}: public channels are open, {@code private-} and
 * {@code presence-} need the HMAC auth; {@code presence-} channels always keep presence and join/leave.
 */
final class PusherChannels {
  /** Pusher's channel name alphabet and length limit. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\-=@,.;]{1,164}");
  static final String NAMESPACE_PREFIX = "pusher_";
  static final String PRIVATE_NAMESPACE_PREFIX = "pusher-private_";

  private final ChannelPolicy centrifugo;

  PusherChannels(ChannelPolicy centrifugo) {
    this.centrifugo = centrifugo;
  }

  static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  static boolean isPrivate(String name) {
    return name.startsWith("private-");
  }

  static boolean isPresence(String name) {
    return name.startsWith("presence-");
  }

  /** private- (private-encrypted- included) and presence- channels need an auth signature. */
  static boolean needsAuth(String name) {
    return isPrivate(name) || isPresence(name);
  }

  /** The namespace of the app's public channels. */
  static String namespace(String appId) {
    return NAMESPACE_PREFIX + appId;
  }

  /** The namespace of a Pusher channel: the public or the private one of its app. */
  static String namespace(String appId, String name) {
    return needsAuth(name) ? PRIVATE_NAMESPACE_PREFIX + appId : NAMESPACE_PREFIX + appId;
  }

  /** The Switchboard channel of a Pusher channel. */
  static String switchboard(String appId, String name) {
    return namespace(appId, name) + ":" + name;
  }

  /** The Pusher channel of a Switchboard channel of this front end's namespaces (after the first ':'). */
  static String pusherName(String channel) {
    return channel.substring(channel.indexOf(':') + 1);
  }

  /** The options of a Pusher channel; the name must be {@link #valid}. */
  NamespaceOptions options(String appId, String name) {
    NamespaceOptions base;
    try {
      base = centrifugo.resolve(switchboard(appId, name));
    } catch (CoreException notConfigured) {
      base = null;
    }
    boolean presence = isPresence(name) || (base != null && base.presence());
    boolean joinLeave = isPresence(name) || (base != null && base.joinLeave());
    return new NamespaceOptions(namespace(appId, name), presence, joinLeave, false,
        base == null ? 0 : base.historySize(), base == null ? Duration.ZERO : base.historyTtl(),
        false, false, false, false,
        true, false, // client events: the subscriber publishes, once this front end let it (enable_client_messages)
        false, false, false, false, false, null, false);
  }
}
