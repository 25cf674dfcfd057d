package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/**
 * A plain {@code EventSource} (no SDK) in headless Chromium on {@code /connection/uni_sse}: a notification live,
 * and recovery after a reconnect with {@code subs} in {@code cf_connect} ({@code uni_sse.test.js}).
 */
class UniSseBrowserIT {

  @Test
  void eventSourceReceivesAndRecoversNotifications() throws Exception {
    NodeSuite.run("uni_sse.test.js");
  }
}
