package io.switchboard.channel;

import io.switchboard.model.Failure;
import io.switchboard.config.ChannelConfig;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.model.CoreException;

/**
 * Centrifugo's channel policy: options come from the channel's namespace, permissions from the namespace's
 * {@code allow_*} flags, user-limited channels ({@code dm:#alice,bob}) and private ones ({@code $}).
 */
public final class NamespacePolicy implements ChannelPolicy {
  private final ChannelConfig config;

  public NamespacePolicy(ChannelConfig config) {
    this.config = config;
  }

  public ChannelConfig config() {
    return config;
  }

  /** Validates the name and returns its namespace options: 107 for a malformed name, 102 for an unknown namespace. */
  @Override
  public NamespaceOptions resolve(String channel) {
    if (channel == null || channel.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "channel required");
    }
    if (channel.length() > config.maxChannelLength()) {
      throw new CoreException(Failure.LIMIT_EXCEEDED, "channel name too long");
    }
    for (int i = 0; i < channel.length(); i++) {
      char c = channel.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new CoreException(Failure.BAD_REQUEST, "channel name must be printable ASCII without spaces");
      }
    }
    ChannelName name = ChannelName.parse(channel);
    NamespaceOptions ns = config.namespace(name.namespace());
    if (ns == null) {
      throw new CoreException(Failure.UNKNOWN_CHANNEL);
    }
    if (ns.channelRegex() != null && !ns.channelRegex().matcher(name.local()).matches()) {
      throw new CoreException(Failure.UNKNOWN_CHANNEL, "channel does not match the namespace pattern");
    }
    return ns;
  }

  /** A client subscribing without a subscription token. */
  @Override
  public void checkSubscribe(String channel, NamespaceOptions ns, String user) {
    ChannelName name = ChannelName.parse(channel);
    if (name.isPrivate()) {
      throw new CoreException(Failure.PERMISSION_DENIED, "subscription token required");
    }
    if (name.userLimited() && ns.allowUserLimitedChannels()) {
      if (!user.isEmpty() && name.allowedUsers().contains(user)) {
        return;
      }
      throw new CoreException(Failure.PERMISSION_DENIED);
    }
    boolean anonymousOk = !user.isEmpty() || ns.allowSubscribeForAnonymous();
    if (!ns.allowSubscribeForClient() || !anonymousOk) {
      throw new CoreException(Failure.PERMISSION_DENIED);
    }
  }

  @Override
  public void checkPublish(NamespaceOptions ns, boolean subscribed) {
    if (!(ns.allowPublishForClient() || (subscribed && ns.allowPublishForSubscriber()))) {
      throw new CoreException(Failure.PERMISSION_DENIED);
    }
  }

  @Override
  public void checkHistory(NamespaceOptions ns, boolean subscribed) {
    if (!ns.history()) {
      throw new CoreException(Failure.NOT_AVAILABLE);
    }
    if (!(ns.allowHistoryForClient() || (subscribed && ns.allowHistoryForSubscriber()))) {
      throw new CoreException(Failure.PERMISSION_DENIED);
    }
  }

  @Override
  public void checkPresence(NamespaceOptions ns, boolean subscribed) {
    if (!ns.presence()) {
      throw new CoreException(Failure.NOT_AVAILABLE);
    }
    if (!(ns.allowPresenceForClient() || (subscribed && ns.allowPresenceForSubscriber()))) {
      throw new CoreException(Failure.PERMISSION_DENIED);
    }
  }
}
