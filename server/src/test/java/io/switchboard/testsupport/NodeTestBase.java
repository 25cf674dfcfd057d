package io.switchboard.testsupport;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;

/**
 * A test class against one real node: the subclass boots it in its own {@code @BeforeAll} with the YAML it
 * needs; it is closed after the class. Test classes run one after another, so the static fields are safe.
 */
public abstract class NodeTestBase {
  protected static TestServer server;
  protected static Vertx vertx;

  protected static void boot(String extraYaml) throws Exception {
    server = TestServer.start(extraYaml);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void shutdownNode() {
    if (vertx != null) {
      vertx.close();
      vertx = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** A connected raw protocol client of {@code user}. */
  protected static WsClient client(String user) throws Exception {
    WsClient c = WsClient.open(vertx, server.wsUrl());
    c.connect(server.token(user));
    return c;
  }
}
