package io.switchboard.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Runs one client command on the session's event loop and yields its result object. Fail with a
 * {@link io.switchboard.model.CoreException} to answer with a protocol error, or with a
 * {@link DisconnectException} to close the connection instead.
 */
interface CommandHandler {
  Future<JsonObject> handle(Session session, JsonObject params);
}
