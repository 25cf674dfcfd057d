package io.switchboard.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * One server API method: takes the request's params object, yields its result object. A bad request may be
 * thrown as a {@link io.switchboard.model.CoreException} (or the future failed with one); anything else
 * failing is answered as error 100.
 */
interface ApiMethod {
  Future<JsonObject> call(JsonObject params);

  static <T> Future<T> attempt(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
