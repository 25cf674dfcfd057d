package io.switchboard.gateway;

import io.switchboard.protocol.ClientResult;
import io.switchboard.protocol.SendRequest;
import io.vertx.core.Future;

/**
 * {@code send}: an asynchronous message to the server, never answered. Switchboard has no handler for
 * them yet (Centrifugo forwards them to a proxy), so they are accepted and dropped: no result.
 */
final class SendCommand implements CommandHandler<SendRequest, ClientResult> {
  @Override
  public Future<ClientResult> handle(Session s, SendRequest q) {
    return Future.succeededFuture();
  }
}
