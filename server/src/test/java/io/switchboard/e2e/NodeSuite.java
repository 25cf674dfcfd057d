package io.switchboard.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.switchboard.testsupport.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one Node test file of {@code src/test/node} ({@code node --test FILE}) against the packaged server jar and
 * a fresh PostgreSQL database, streaming Node's output into the test output. The file passes iff Node exits 0.
 *
 * <p>System properties (set by the failsafe configuration in server/pom.xml): {@code switchboard.jar},
 * {@code switchboard.nodeDir}, {@code node.bin}.
 */
final class NodeSuite {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private NodeSuite() {}

  static void run(String testFile) throws IOException, InterruptedException {
    run(testFile, Map.of());
  }

  /** As {@link #run(String)}, with extra environment for Node (e.g. {@code SWITCHBOARD_CODEC=protobuf}). */
  static void run(String testFile, Map<String, String> extraEnv) throws IOException, InterruptedException {
    Path nodeDir = Path.of(System.getProperty("switchboard.nodeDir", "src/test/node")).toAbsolutePath();
    Path jar = Path.of(System.getProperty("switchboard.jar", "target/switchboard-server.jar")).toAbsolutePath();
    String node = System.getProperty("node.bin", "node");
    assertTrue(Files.isRegularFile(jar), "the server jar must be packaged first: " + jar);
    assertTrue(Files.isDirectory(nodeDir.resolve("node_modules")),
        "run `npm ci` in " + nodeDir + " first (the pre-integration-test phase does it)");

    String pgUrl = TestPostgres.freshDatabase().url();
    String java = ProcessHandle.current().info().command().orElse("java");

    ProcessBuilder pb = new ProcessBuilder(List.of(node, "--test", "--test-reporter=spec", testFile))
        .directory(nodeDir.toFile())
        .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("SWITCHBOARD_JAR", jar.toString());
    env.put("JAVA_BIN", java);
    env.put("SWITCHBOARD_TEST_PG_URL", pgUrl);
    Path logs = jar.getParent().resolve("nodes");
    Files.createDirectories(logs);
    env.put("SWITCHBOARD_TEST_LOG_DIR", logs.toString());
    env.remove("NODE_OPTIONS");
    env.putAll(extraEnv);
    String label = extraEnv.isEmpty() ? testFile : testFile + " " + extraEnv;

    System.out.printf("[%s] node --test %s (jar %s, db %s)%n", label, testFile, jar, pgUrl);
    Process process = pb.start();
    Thread pump = Thread.ofPlatform().daemon().name("node-output-" + testFile).start(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          System.out.println("[" + label + "] " + line);
        }
      } catch (IOException ignored) {
        // the process went away
      }
    });
    try {
      if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        fail("node --test " + label + " did not finish within " + TIMEOUT);
      }
      pump.join(5_000);
      assertEquals(0, process.exitValue(), "node --test " + label + " failed; its output is above");
    } finally {
      // Node kills the servers it started; this covers a Node that was itself killed or timed out.
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
