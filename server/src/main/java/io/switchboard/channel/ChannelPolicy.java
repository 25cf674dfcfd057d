package io.switchboard.channel;

import io.switchboard.config.NamespaceOptions;

/**
 * What a channel is (its options: history, presence, join/leave, recovery) and who may do what in it. The core
 * asks a policy and never parses channel names itself. {@link NamespacePolicy} is Centrifugo's: namespaces
 * before the first {@code :}, user-limited channels after {@code #}, {@code $} for private channels that need
 * a subscription token. A Pusher front end brings its own ({@code private-}/{@code presence-} prefixes,
 * authorized by an HMAC signature instead of a JWT).
 *
 * <p>Every check throws a {@link io.switchboard.model.CoreException} with a neutral reason; the edges turn it
 * into their protocol's error.
 */
public interface ChannelPolicy {

  /** The channel's options; refuses a malformed name (bad request, too long) or an unknown channel. */
  NamespaceOptions resolve(String channel);

  /** A client subscribing on its own (no subscription token); {@code user} is "" for anonymous clients. */
  void checkSubscribe(String channel, NamespaceOptions ns, String user);

  void checkPublish(NamespaceOptions ns, boolean subscribed);

  void checkHistory(NamespaceOptions ns, boolean subscribed);

  void checkPresence(NamespaceOptions ns, boolean subscribed);
}
