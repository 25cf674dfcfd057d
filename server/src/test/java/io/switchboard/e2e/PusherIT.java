package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/**
 * The Pusher protocol front end with the real npm libraries: pusher-js 8 (public, private and presence
 * channels with an auth endpoint, client events) and the {@code pusher} 5 server SDK (trigger, triggerBatch,
 * channel queries, signatures refused), and a Pusher client meeting a Centrifugo client on one channel; Pusher
 * webhooks and terminate_connections; Laravel Echo 2; pusher-js in headless Chromium.
 */
class PusherIT {

  @Test
  void pusherLibrariesWork() throws Exception {
    NodeSuite.run("pusher.test.js");
  }

  /** Pusher webhooks validated by the {@code pusher} SDK's webhook(); terminateUserConnections after signin. */
  @Test
  void webhooksAndTerminateConnections() throws Exception {
    NodeSuite.run("pusher_webhooks.test.js");
  }

  /** Laravel Echo 2 with pusher-js: channel/listen, private with whispers, join with here/joining/leaving. */
  @Test
  void laravelEchoWorks() throws Exception {
    NodeSuite.run("echo.test.js");
  }

  /** pusher-js's browser bundle in headless Chromium: public, private, presence channels, client events. */
  @Test
  void pusherJsInChromium() throws Exception {
    NodeSuite.run("pusher_browser.test.js");
  }
}
