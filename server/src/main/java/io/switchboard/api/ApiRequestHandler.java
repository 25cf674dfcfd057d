package io.switchboard.api;

import io.switchboard.model.Failure;
import io.switchboard.ops.Metrics;
import io.switchboard.protocol.ErrorCode;
import io.switchboard.protocol.ReplyError;
import io.switchboard.model.CoreException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one API call: 404 for an unknown method, then the body as the params object, then the method. As in
 * Centrifugo, protocol errors (bad JSON, wrong types, unknown channel...) are HTTP 200 with {@code {"error"}};
 * success is {@code {"result":{...}}}. PostgreSQL not answering within its deadline is HTTP 503 (error 100):
 * the node is up, its store is not, and a client may retry (see docs/operations.md).
 */
final class ApiRequestHandler implements Handler<RoutingContext> {
  private static final Logger LOG = LoggerFactory.getLogger("io.switchboard.api");
  private static final String NOT_FOUND = new JsonObject()
      .put("error", ApiErrors.json(ErrorCode.METHOD_NOT_FOUND.error())).encode();

  private final Metrics metrics;
  private final Map<String, ApiMethod> methods;

  ApiRequestHandler(Metrics metrics, Map<String, ApiMethod> methods) {
    this.metrics = metrics;
    this.methods = methods;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String name = ctx.pathParam("method");
    ApiMethod method = methods.get(name);
    if (method == null) {
      metrics.apiRequest("unknown", "error_104");
      json(ctx, 404, NOT_FOUND);
      return;
    }
    // Actions on sessions complete on their own event loops; the response is written back on this one.
    Context requestContext = Vertx.currentContext();
    ApiMethod.attempt(() -> method.call(params(ctx.body().buffer()))).onComplete(ar ->
        requestContext.runOnContext(v -> {
          String body = ar.succeeded() ? encoded(name, ar.result()) : null;
          if (body != null) {
            metrics.apiRequest(name, "ok");
            json(ctx, 200, body);
          } else {
            ReplyError error = ar.succeeded() ? ErrorCode.INTERNAL.error() : ApiErrors.of(name, ar.cause());
            metrics.apiRequest(name, "error_" + error.code());
            json(ctx, ApiErrors.status(ar.cause()), new JsonObject().put("error", ApiErrors.json(error)).encode());
          }
        }));
  }

  /**
   * {@code {"result":…}} as text, or null when it cannot be encoded: the call is then answered with error 100,
   * never left without a response.
   */
  private static String encoded(String method, JsonObject result) {
    try {
      return new JsonObject().put("result", result).encode();
    } catch (RuntimeException e) {
      ApiErrors.unencodable(method, e);
      return null;
    }
  }

  /** The body as the params object: empty means {@code {}}; anything but a JSON object is error 107. */
  private static JsonObject params(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new CoreException(Failure.BAD_REQUEST, "malformed JSON");
    }
    if (!(value instanceof JsonObject o)) {
      throw new CoreException(Failure.BAD_REQUEST, "body must be a JSON object");
    }
    return o;
  }

  /** Failures raised by the route's handlers (413 from the body limit, or a bug): status only, never a trace. */
  void onRouteFailure(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.statusCode() > 0) {
      ctx.response().setStatusCode(ctx.statusCode()).end();
      return;
    }
    LOG.error("server API request {} failed", ctx.request().path(), ctx.failure());
    json(ctx, 200, new JsonObject().put("error", ApiErrors.json(ErrorCode.INTERNAL.error())).encode());
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }
}
