package io.switchboard.testsupport;

import io.switchboard.Switchboard;
import io.switchboard.auth.TokenMinter;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.SwitchboardConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Switchboard node in this JVM, on a free port, over a fresh migrated PostgreSQL database. Extra YAML
 * (merged over the defaults) tunes timeouts and limits per test class.
 */
public final class TestServer implements AutoCloseable {
  public static final String SECRET = "test-secret-0123456789abcdef0123456789";
  public static final String API_KEY = "test-api-key";

  public final Switchboard node;
  public final TestPostgres.Db db;
  public final TokenMinter minter = new TokenMinter(SECRET);
  private final Path dataDir;

  private TestServer(Switchboard node, TestPostgres.Db db, Path dataDir) {
    this.node = node;
    this.db = db;
    this.dataDir = dataDir;
  }

  public static TestServer start(String extraYaml) throws Exception {
    return start(extraYaml, TestPostgres.freshDatabase(), freePort());
  }

  /** A node whose notify path queues push jobs into {@code pushQueue} (a recording seam in tests). */
  public static TestServer start(String extraYaml, io.switchboard.notify.PushQueue pushQueue) throws Exception {
    return start(extraYaml, TestPostgres.freshDatabase(), freePort(), pushQueue);
  }

  public static TestServer start(String extraYaml, TestPostgres.Db db, int port) throws Exception {
    return start(extraYaml, db, port, null);
  }

  public static TestServer start(String extraYaml, TestPostgres.Db db, int port,
      io.switchboard.notify.PushQueue pushQueue) throws Exception {
    return start(extraYaml, db, port, pushQueue, Map.of());
  }

  /** A node whose environment differs from the usual test one by {@code envOverrides} (e.g. demo off). */
  public static TestServer startWithEnv(String extraYaml, Map<String, String> envOverrides) throws Exception {
    return start(extraYaml, TestPostgres.freshDatabase(), freePort(), null, envOverrides);
  }

  private static TestServer start(String extraYaml, TestPostgres.Db db, int port,
      io.switchboard.notify.PushQueue pushQueue, Map<String, String> envOverrides) throws Exception {
    Path dataDir = Files.createTempDirectory("switchboard-test");
    Path conf = dataDir.resolve("test.yaml");
    Files.writeString(conf, extraYaml == null ? "{}\n" : extraYaml);
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_HTTP_PORT", Integer.toString(port));
    env.put("SWITCHBOARD_HTTP_HOST", "127.0.0.1");
    env.put("SWITCHBOARD_PG_URL", db.url());
    env.put("SWITCHBOARD_DATA_DIR", dataDir.toString());
    env.put("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET);
    env.put("SWITCHBOARD_API_KEY", API_KEY);
    env.put("SWITCHBOARD_DEMO", "true");
    env.putAll(envOverrides);
    SwitchboardConfig cfg = ConfigLoader.load(conf, env);
    return new TestServer(Switchboard.start(cfg, pushQueue), db, dataDir);
  }

  /** Stops this node and starts a new one on the same port and database. */
  public TestServer restart() throws Exception {
    String yaml = Files.readString(dataDir.resolve("test.yaml"));
    int port = port();
    close();
    return start(yaml, db, port);
  }

  public int port() {
    return node.port();
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + port() + "/connection/websocket";
  }

  public String token(String user) {
    return minter.mint(user, Duration.ofHours(1));
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    node.close();
  }
}
