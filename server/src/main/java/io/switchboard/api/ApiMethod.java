package io.switchboard.api;

import io.switchboard.Node;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * One server API method: takes the request's params object, yields its result object. A bad request may be
 * thrown as a {@link io.switchboard.model.CoreException} (or the future failed with one); anything else
 * failing is answered as error 100.
 */
interface ApiMethod {
  Future<JsonObject> call(Node node, JsonObject params);

  /** Calls {@code method}, turning an exception thrown while validating into a failed future. */
  static Future<JsonObject> invoke(ApiMethod method, Node node, JsonObject params) {
    return attempt(() -> method.call(node, params));
  }

  static <T> Future<T> attempt(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
