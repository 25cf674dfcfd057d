package io.switchboard.gateway;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code send}: an asynchronous message to the server, never answered. Switchboard has no handler for
 * them yet (Centrifugo forwards them to a proxy), so they are accepted and dropped.
 */
final class SendCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    return Future.succeededFuture(new JsonObject());
  }
}
