package io.switchboard.pusher;

import io.switchboard.broker.Hub;
import io.switchboard.config.PusherConfig;
import io.switchboard.core.Core;

/**
 * What the Pusher front end works with: its apps and settings, the core's use cases, the hub where each event
 * loop registers its subscribers, and the client limits it shares with the Centrifugo front end.
 */
public record PusherServices(PusherConfig config, Core core, Hub hub, int maxMessageBytes, long maxOutboundBytes) {

  PusherApps apps() {
    return new PusherApps(config);
  }
}
