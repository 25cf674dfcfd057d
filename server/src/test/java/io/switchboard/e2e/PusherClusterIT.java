package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/**
 * The Pusher front end on three clustered nodes with pusher-js and the {@code pusher} server SDK: an event
 * triggered through node C reaches a client on node A, and presence is right after a kill -9 of node B.
 */
class PusherClusterIT {

  @Test
  void pusherLibrariesAcrossTheCluster() throws Exception {
    NodeSuite.run("pusher-cluster.test.js");
  }
}
