package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/**
 * centrifuge-js in headless Chromium without WebSocket: falls back to HTTP-streaming, and to SSE where the node
 * has HTTP-streaming disabled; chat, presence and recovery over each.
 */
class BrowserFallbackIT {

  @Test
  void browserFallsBackToHttpStreamingThenSse() throws Exception {
    NodeSuite.run("fallback.test.js");
  }
}
