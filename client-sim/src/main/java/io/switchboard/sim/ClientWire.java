package io.switchboard.sim;

import java.util.List;

/**
 * One protocol's side of a {@link SimConnection}: how the few commands client-sim sends are framed, and how what
 * the server writes becomes {@link WireEvents}. Implementations hold no per-connection state.
 */
interface ClientWire {
  /** The query parameter that selects this protocol on the endpoint ({@code cf_protocol=...}), or null. */
  String query();

  /** Installs the socket's message handlers, which turn every frame into events on {@code events}. */
  void attach(SimSocket ws, WireEvents events);

  /** The connect command and the subscriptions, in one message. */
  void handshake(SimSocket ws, Handshake h);

  void publish(SimSocket ws, long id, String channel, String data);

  void pong(SimSocket ws);

  /** One subscription of the handshake; {@code recover} asks for what was missed since {@code offset}/{@code epoch}. */
  record SubscribeCmd(long id, String channel, boolean recover, long offset, String epoch) {}

  /**
   * @param personal the server-side personal channel to recover in the connect request, or null
   * @param subs the channels the client subscribes itself
   */
  record Handshake(long connectId, String token, SubscribeCmd personal, List<SubscribeCmd> subs) {}

  /** What client-sim needs of a subscribe result, whichever protocol carried it. */
  record SubResult(long offset, String epoch, boolean wasRecovering, boolean recovered, long[] publicationOffsets) {}
}
