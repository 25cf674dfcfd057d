package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/**
 * Issue 15: the official centrifuge JS SDK, without a token, authenticated through the connect proxy by its
 * cookie and then refreshed through the refresh proxy (src/test/node/proxy.test.js).
 */
class ProxySdkIT {

  @Test
  void tokenlessSdkConnectionIsAuthenticatedAndRefreshedByTheBackend() throws Exception {
    NodeSuite.run("proxy.test.js");
  }
}
