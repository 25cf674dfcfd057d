package io.switchboard.gateway;

import io.switchboard.proxy.ConnectionProxy;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a connection keeps for the application backend's proxies (docs/proxy.md); null on a node without
 * proxies, so an ordinary connection pays nothing for them.
 */
final class ProxyState {
  /** The request headers on the proxies' allowlist, lower-case names. */
  final Map<String, String> headers;
  /** The connect proxy's {@code data} for the connect reply, until it is sent. */
  byte[] connectData;
  /** The connect proxy's {@code subs} options (info, expiry) by channel, for the server-side subscriptions. */
  Map<String, ConnectionProxy.SubOptions> connectSubs = Map.of();
  /** The connect proxy's {@code meta} (JSON text), sent with every later proxy request; or null. */
  byte[] meta;
  /** The connect proxy authenticated this connection and refresh_proxy extends it before it expires. */
  boolean refreshByProxy;
  /** A refresh request is out, or the next try waits until {@code retryAt} (ms) after a failed one. */
  boolean refreshing;
  long retryAt;
  /** Channels subscribed through the subscribe proxy whose expiry sub_refresh_proxy extends. */
  final Set<String> refreshedSubs = new HashSet<>(2);
  /** Those with a sub_refresh request out. */
  final Set<String> subRefreshing = new HashSet<>(2);

  ProxyState(Map<String, String> headers) {
    this.headers = headers;
  }
}
