package io.switchboard.gateway;

import io.switchboard.protocol.ClientRequest;
import io.switchboard.protocol.ClientResult;
import io.vertx.core.Future;

/**
 * Runs one client command on the session's event loop and yields its typed result; the codec encodes it.
 * Fail with a {@link io.switchboard.model.CoreException} to answer with a protocol error, or with a
 * {@link DisconnectException} to close the connection instead.
 */
interface CommandHandler<Q extends ClientRequest, R extends ClientResult> {
  Future<R> handle(Session session, Q request);
}
