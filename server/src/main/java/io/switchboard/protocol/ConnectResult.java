package io.switchboard.protocol;

import java.util.Map;

/**
 * {@code connect}. {@code ttl} (seconds) counts only when {@code expires}; {@code ping} is the server's ping
 * interval in seconds; {@code subs}: the server-side subscriptions by channel, or null when the connection has
 * none to make (a map that came out empty is still sent). {@code session} and {@code node}: set only on
 * emulated transports (HTTP-streaming, SSE), where the client names them in every emulation request; null
 * otherwise.
 */
public record ConnectResult(String client, String version, boolean expires, long ttl,
    Map<String, SubscribeResult> subs, long ping, boolean pong, String session, String node, byte[] data)
    implements ClientResult {

  /** Without connect {@code data} (only the connect proxy gives one: JSON text for JSON clients, else bytes). */
  public ConnectResult(String client, String version, boolean expires, long ttl, Map<String, SubscribeResult> subs,
      long ping, boolean pong, String session, String node) {
    this(client, version, expires, ttl, subs, ping, pong, session, node, null);
  }

  /** The connection closed while connect was still at work: the reply is empty (and no one reads it). */
  public static final ConnectResult NONE = new ConnectResult(null, null, false, 0, null, 0, false);

  /** A connect result without an emulation session (WebSocket). */
  public ConnectResult(String client, String version, boolean expires, long ttl, Map<String, SubscribeResult> subs,
      long ping, boolean pong) {
    this(client, version, expires, ttl, subs, ping, pong, null, null);
  }

  /** This result with other expiry and connect data (the connect proxy's). */
  public ConnectResult with(boolean expires, long ttl, byte[] data) {
    return new ConnectResult(client, version, expires, ttl, subs, ping, pong, session, node, data);
  }

  /** This result with the emulation session and node set. */
  public ConnectResult withSession(String session, String node) {
    return new ConnectResult(client, version, expires, ttl, subs, ping, pong, session, node, data);
  }
}
