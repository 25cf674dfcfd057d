package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;

/**
 * The server HTTP API ({@code POST <api>/<method>} with {@code X-API-Key}). With several API URLs it sticks to
 * one and moves to the next after a transport failure (a killed node).
 */
public final class ApiClient {
  private final HttpClient http;
  private final List<URI> apis;
  private final String key;
  private volatile int current;

  /** An error answer of the API: a protocol error code, or the HTTP status when there was no JSON error. */
  public static final class ApiException extends RuntimeException {
    public final int code;

    ApiException(int code, String message) {
      super(message);
      this.code = code;
    }
  }

  public ApiClient(Vertx vertx, List<URI> apis, String key, int poolSize) {
    this.apis = List.copyOf(apis);
    this.key = key == null ? "" : key;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
        .setConnectTimeout(5_000).setIdleTimeout(60), new PoolOptions().setHttp1MaxSize(poolSize));
  }

  public boolean enabled() {
    return !apis.isEmpty();
  }

  /** The call's {@code result}, or a failed future ({@link ApiException} for an API error). */
  public Future<JsonObject> call(String method, JsonObject body) {
    int idx = current;
    URI api = apis.get(idx % apis.size());
    String path = (api.getRawPath() == null ? "" : api.getRawPath().replaceAll("/+$", "")) + "/" + method;
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost(api.getHost())
        .setPort(api.getPort() < 0 ? 80 : api.getPort()).setURI(path).setTimeout(10_000)
        .putHeader("X-API-Key", key).putHeader("Content-Type", "application/json");
    return http.request(o)
        .compose(req -> req.send(Buffer.buffer(body.encode())))
        .compose(resp -> resp.body().map(b -> {
          if (resp.statusCode() != 200) {
            throw new ApiException(resp.statusCode(), "HTTP " + resp.statusCode());
          }
          JsonObject j = b.toJsonObject();
          JsonObject err = j.getJsonObject("error");
          if (err != null) {
            throw new ApiException(err.getInteger("code", 0), err.getString("message", ""));
          }
          return j.getJsonObject("result", new JsonObject());
        }))
        .onFailure(t -> {
          if (!(t instanceof ApiException) && apis.size() > 1) {
            current = (idx + 1) % apis.size(); // transport failure: try the next node from now on
          }
        });
  }

  public Future<Void> close() {
    return http.close();
  }
}
