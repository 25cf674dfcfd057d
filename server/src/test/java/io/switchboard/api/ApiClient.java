package io.switchboard.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.testsupport.TestServer;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the server API over real HTTP, blocking the test thread (never an event loop). */
final class ApiClient {
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade dance: the API is plain HTTP/1.1 here
      .connectTimeout(Duration.ofSeconds(5))
      .build();
  private final int port;

  ApiClient(int port) {
    this.port = port;
  }

  /** POSTs {@code body} to {@code /api/<method>} with the given extra headers (name, value, ...). */
  HttpResponse<String> post(String method, String body, String... headers) throws Exception {
    return postTo("/api/" + method, body, headers);
  }

  HttpResponse<String> postTo(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
        .timeout(Duration.ofSeconds(15))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(15)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** An authorized call that must answer HTTP 200; returns the whole body ({@code result} or {@code error}). */
  JsonObject call(String method, JsonObject params) throws Exception {
    HttpResponse<String> r = post(method, params.encode(), "X-API-Key", TestServer.API_KEY);
    assertThat(r.statusCode()).as("%s -> %s", method, r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
    return new JsonObject(r.body());
  }

  /** An authorized call that must succeed; returns its result object. */
  JsonObject result(String method, JsonObject params) throws Exception {
    JsonObject body = call(method, params);
    assertThat(body.containsKey("result")).as("%s -> %s", method, body).isTrue();
    return body.getJsonObject("result");
  }

  /** An authorized call that must fail with an API error; returns the error object. */
  JsonObject error(String method, JsonObject params) throws Exception {
    JsonObject body = call(method, params);
    assertThat(body.containsKey("error")).as("%s -> %s", method, body).isTrue();
    return body.getJsonObject("error");
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
