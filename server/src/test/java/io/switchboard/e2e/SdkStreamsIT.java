package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/**
 * The official centrifuge JS SDK over HTTP-streaming and SSE with emulation (chat, recovery, presence, RPC, the
 * disconnect push), and the endpoints' answers to bad input.
 */
class SdkStreamsIT {

  @Test
  void sdkWorksOverHttpStreamingAndSse() throws Exception {
    NodeSuite.run("streams.test.js");
  }
}
