package io.switchboard.transport;

import io.switchboard.codec.ClientCodec;

/**
 * Takes the connections that a transport endpoint accepted on an event loop, with the codec the client asked
 * for, and starts a session on each (the gateway of that loop). Called on the connection's event loop.
 */
public interface TransportAcceptor {

  void accept(Transport transport, ClientCodec codec);
}
