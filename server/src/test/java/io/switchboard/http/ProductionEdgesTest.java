package io.switchboard.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node in production mode (demo off): the browser Origin rule does not trust the Host header (DNS
 * rebinding), and /metrics wants its bearer token. Requests go over raw sockets so that the Host header is
 * the test's to choose, as a rebound browser's would be.
 */
class ProductionEdgesTest {
  static final String METRICS_TOKEN = "metrics-token-0123456789";
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.startWithEnv("""
        push:
          enabled: false
        http:
          allowed_hosts: [chat.example.com]
        """, Map.of("SWITCHBOARD_DEMO", "false", "SWITCHBOARD_METRICS_TOKEN", METRICS_TOKEN));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aReboundHostIsNotTheServersOwnOutsideDemoMode() throws Exception {
    int port = server.port();
    String rebound = "evil.example:" + port;
    String listed = "chat.example.com:" + port;
    // The attack: the page's own origin, and the Host header its browser sends after the rebinding.
    assertThat(webSocketStatus(rebound, "http://" + rebound)).isEqualTo(403);
    assertThat(preflightStatus("/connection/uni_http_stream", rebound, "http://" + rebound)).isEqualTo(403);
    assertThat(preflightStatus("/connection/http_stream", rebound, "http://" + rebound)).isEqualTo(403);
    assertThat(webSocketStatus("127.0.0.1:" + port, "http://127.0.0.1:" + port)).isEqualTo(403);
    // A host listed in http.allowed_hosts is the server's own; without an Origin (no browser) anything goes.
    assertThat(webSocketStatus(listed, "https://" + listed)).isEqualTo(101);
    assertThat(preflightStatus("/connection/uni_http_stream", listed, "https://" + listed)).isEqualTo(204);
    assertThat(webSocketStatus(rebound, null)).isEqualTo(101);
    // A listed host's origin is not a pass for other hosts.
    assertThat(webSocketStatus(rebound, "https://" + listed)).isEqualTo(403);
  }

  @Test
  void metricsWantTheBearerToken() throws Exception {
    assertThat(httpStatus("GET /metrics", null)).isEqualTo(401);
    assertThat(httpStatus("GET /metrics", "Bearer wrong-token-0123456789")).isEqualTo(401);
    assertThat(httpStatus("GET /metrics", "Basic " + METRICS_TOKEN)).isEqualTo(401);
    assertThat(httpStatus("GET /metrics", "Bearer " + METRICS_TOKEN)).isEqualTo(200);
    assertThat(httpStatus("GET /health/live", null)).isEqualTo(200); // probes stay open
  }

  private static int webSocketStatus(String host, String origin) throws Exception {
    return status("GET /connection/websocket HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n");
  }

  private static int preflightStatus(String path, String host, String origin) throws Exception {
    return status("OPTIONS " + path + " HTTP/1.1\r\nHost: " + host + "\r\nOrigin: " + origin + "\r\n"
        + "Access-Control-Request-Method: POST\r\nConnection: close\r\n\r\n");
  }

  private static int httpStatus(String requestLine, String authorization) throws Exception {
    return status(requestLine + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\n"
        + (authorization == null ? "" : "Authorization: " + authorization + "\r\n") + "Connection: close\r\n\r\n");
  }

  /** The status code of the response to a raw HTTP/1.1 request. */
  private static int status(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(US_ASCII));
      out.flush();
      String statusLine = new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII)).readLine();
      assertThat(statusLine).as("response to %s", request).startsWith("HTTP/1.1 ");
      return Integer.parseInt(statusLine.substring(9, 12));
    }
  }
}
