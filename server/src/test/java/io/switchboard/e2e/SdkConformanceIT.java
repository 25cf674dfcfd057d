package io.switchboard.e2e;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official centrifuge JS SDK (npm {@code centrifuge@5} over {@code ws}) against the packaged server: the
 * same cases over its JSON build and over its Protobuf build ({@code centrifuge/build/protobuf}), and both
 * builds on one channel.
 */
class SdkConformanceIT {

  @Test
  void officialJavaScriptSdkConforms() throws Exception {
    NodeSuite.run("conformance.test.js");
  }

  @Test
  void officialJavaScriptSdkConformsOverProtobuf() throws Exception {
    NodeSuite.run("conformance.test.js", Map.of("SWITCHBOARD_CODEC", "protobuf"));
  }

  @Test
  void jsonAndProtobufClientsShareChannels() throws Exception {
    NodeSuite.run("codecs.test.js");
  }
}
