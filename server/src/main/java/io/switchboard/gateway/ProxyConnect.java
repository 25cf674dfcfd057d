package io.switchboard.gateway;

import io.switchboard.auth.ConnectClaims;
import io.switchboard.protocol.ConnectResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code connect} through the connect proxy (docs/proxy.md): the backend's answer stands in for a token's
 * claims. Its {@code channels} and the keys of its {@code subs} become server-side subscriptions; its
 * {@code meta} stays with the connection; with a refresh proxy, its {@code expire_at} is extended server-side
 * (the client is not told to refresh, as in Centrifugo).
 */
final class ProxyConnect {
  private ProxyConnect() {}

  static Future<ConnectClaims> connect(Session s, byte[] data) {
    return s.services.proxy().connect(ProxyCalls.context(s), data, !s.codec.binary()).map(v -> {
      s.proxy.connectData = v.data();
      s.proxy.connectSubs = v.subs();
      List<String> channels = new ArrayList<>(v.channels());
      v.subs().keySet().stream().filter(c -> !channels.contains(c)).forEach(channels::add);
      if (s.proxy != null) {
        s.proxy.meta = v.meta();
        s.proxy.refreshByProxy = v.expireAt() > 0 && s.services.proxy().refreshes();
      }
      return new ConnectClaims(v.user(), v.expireAt(), v.info(), channels, null);
    });
  }

  /**
   * The backend's connect {@code data} goes in the reply. With a refresh proxy the client is not told of the
   * expiry: Switchboard extends the connection itself.
   */
  static ConnectResult reply(Session s, ConnectResult r) {
    if (r == ConnectResult.NONE) {
      return r;
    }
    byte[] data = s.proxy.connectData;
    s.proxy.connectData = null;
    s.proxy.connectSubs = Map.of();
    return s.proxy.refreshByProxy ? r.with(false, 0, data) : r.with(r.expires(), r.ttl(), data);
  }
}
