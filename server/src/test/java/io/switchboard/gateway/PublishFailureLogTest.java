package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.storage.JdbcTarget;
import io.switchboard.testsupport.NodeTestBase;
import io.switchboard.testsupport.TestServer;
import io.switchboard.testsupport.WsClient;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * While every durable publish fails (here PostgreSQL refuses every new publication row, as it would while
 * its disk is full), the log gets one stack trace per front end, not one per publish: the rest are counted.
 */
class PublishFailureLogTest extends NodeTestBase {
  private static final int PUBLISHES = 25;

  @BeforeAll
  static void start() throws Exception {
    boot("{}\n");
  }

  @Test
  void manyFailedPublishesLogOneStackTraceEach() throws Exception {
    Logger gateway = (Logger) LoggerFactory.getLogger(Session.class);
    Logger api = (Logger) LoggerFactory.getLogger("io.switchboard.api");
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    gateway.addAppender(seen);
    api.addAppender(seen);
    try (WsClient c = client("writer")) {
      c.subscribe("chat:outage");
      sql("ALTER TABLE publications ADD CONSTRAINT outage CHECK (false) NOT VALID");
      for (int i = 0; i < PUBLISHES; i++) {
        JsonObject r = c.call("publish", new JsonObject().put("channel", "chat:outage").put("data", new JsonObject()));
        assertThat(r.getJsonObject("error").getInteger("code")).as("%s", r).isEqualTo(100);
        JsonObject a = api("{\"channel\":\"chat:outage\",\"data\":{}}");
        assertThat(a.getJsonObject("error").getInteger("code")).as("%s", a).isEqualTo(100);
      }
    } finally {
      sql("ALTER TABLE publications DROP CONSTRAINT IF EXISTS outage");
      gateway.detachAppender(seen);
      api.detachAppender(seen);
    }
    assertThat(seen.list.stream().filter(e -> e.getLoggerName().equals(gateway.getName()))
        .filter(e -> e.getThrowableProxy() != null)).hasSize(1);
    assertThat(seen.list.stream().filter(e -> e.getLoggerName().equals(api.getName()))
        .filter(e -> e.getThrowableProxy() != null)).hasSize(1);
    // Nothing else was logged per failure: at most the first of each and a count line.
    assertThat(seen.list).hasSizeLessThanOrEqualTo(4);
    // And publishing works again once the database takes rows.
    try (WsClient c = client("writer")) {
      c.subscribe("chat:outage");
      JsonObject r = c.call("publish", new JsonObject().put("channel", "chat:outage").put("data", new JsonObject()));
      assertThat(r.containsKey("publish")).as("%s", r).isTrue();
    }
  }

  private static void sql(String statement) throws Exception {
    JdbcTarget j = server.db.jdbc();
    try (Connection c = DriverManager.getConnection(j.url(), j.user(), j.password());
        Statement st = c.createStatement()) {
      st.execute(statement);
    }
  }

  private static JsonObject api(String body) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + "/api/publish")).timeout(Duration.ofSeconds(10)).header("X-API-Key", TestServer.API_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new JsonObject(r.body());
  }
}
