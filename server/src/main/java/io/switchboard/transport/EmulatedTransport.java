package io.switchboard.transport;

import io.vertx.core.buffer.Buffer;

/**
 * A transport that carries only the server's side (HTTP-streaming, SSE): the client sends its later commands
 * in emulation requests naming the transport's {@link #session()}, which the node holding the session hands
 * over here.
 */
public interface EmulatedTransport extends Transport {

  /** Commands the client sent in an emulation request, in the session's codec; call on the event loop. */
  void receive(Buffer commands);

  @Override
  String session();
}
