package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/**
 * The Pusher protocol front end with the real npm libraries: pusher-js 8 (public, private and presence
 * channels with an auth endpoint, client events) and the {@code pusher} 5 server SDK (trigger, triggerBatch,
 * channel queries, signatures refused), and a Pusher client meeting a Centrifugo client on one channel.
 */
class PusherIT {

  @Test
  void pusherLibrariesWork() throws Exception {
    NodeSuite.run("pusher.test.js");
  }
}
