package io.switchboard.pusher;

import io.switchboard.broker.Hub;
import io.switchboard.config.PusherConfig;
import io.switchboard.core.Core;

/**
 * What the Pusher front end works with: its apps and settings, the core's use cases, the hub where each event
 * loop registers its subscribers, the client limits it shares with the Centrifugo front end, and who hears
 * client events (webhooks).
 */
public record PusherServices(PusherConfig config, Core core, Hub hub, int maxMessageBytes, long maxOutboundBytes,
    PusherWebhooks.ClientEventHook clientEvents) {

  /** Without webhooks for client events. */
  public PusherServices(PusherConfig config, Core core, Hub hub, int maxMessageBytes, long maxOutboundBytes) {
    this(config, core, hub, maxMessageBytes, maxOutboundBytes, PusherWebhooks.ClientEventHook.NONE);
  }

  /**
   * Whether a Switchboard channel is a Pusher {@code presence-} channel, which keeps join/leave whatever the
   * Centrifugo namespace of that name says (or when there is none): the cluster needs to know, to carry its
   * presence with the join/leave pushes and to push the leaves of a node that died.
   */
  public static boolean alwaysJoinLeave(String channel) {
    return channel.startsWith(PusherChannels.PRIVATE_NAMESPACE_PREFIX)
        && PusherChannels.isPresence(PusherChannels.pusherName(channel));
  }

  PusherApps apps() {
    return new PusherApps(config);
  }
}
