package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/**
 * The official centrifuge JS SDK against two clustered nodes: publish on one, receive on the other, with the
 * JSON and the Protobuf build on either side.
 */
class SdkClusterIT {

  @Test
  void sdkClientsOnDifferentNodesTalk() throws Exception {
    NodeSuite.run("cluster.test.js");
  }
}
