package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/** The chat page in headless Chromium (playwright-core, {@code /usr/bin/chromium} or CHROMIUM_BIN). */
class BrowserIT {

  @Test
  void chatPageWorksInChromium() throws Exception {
    NodeSuite.run("browser.test.js");
  }
}
