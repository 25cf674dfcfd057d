package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/** The official centrifuge JS SDK (npm {@code centrifuge@5} over {@code ws}) against the packaged server. */
class SdkConformanceIT {

  @Test
  void officialJavaScriptSdkConforms() throws Exception {
    NodeSuite.run("conformance.test.js");
  }
}
