package io.switchboard.e2e;

import org.junit.jupiter.api.Test;

/** The README's Node client snippet, extracted from README.md and run as written (only the port changed). */
class ReadmeSnippetIT {

  @Test
  void readmeNodeClientSnippetRuns() throws Exception {
    NodeSuite.run("readme.test.js");
  }
}
