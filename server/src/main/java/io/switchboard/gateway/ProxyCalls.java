package io.switchboard.gateway;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.core.ClientContext;
import io.switchboard.model.BackendRefusal;
import io.switchboard.proxy.ConnectionProxy;
import io.switchboard.protocol.DisconnectCode;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's side of the backend proxies (docs/proxy.md): what the backend is told about a connection,
 * and the server-side refreshes the sweeper starts for connections and subscriptions the backend made.
 */
final class ProxyCalls {
  private static final Logger LIFECYCLE = LoggerFactory.getLogger("io.switchboard.gateway.lifecycle");
  /** After a refresh request failed (backend down), the next try waits this long. */
  static final long RETRY_MILLIS = 5_000;

  private ProxyCalls() {}

  /** Keeps the allowlisted request headers, at connect (the upgrade request is still at hand). */
  static void attach(Session s) {
    if (s.proxy != null || s.services.proxy() == ConnectionProxy.NONE) {
      return;
    }
    Map<String, String> headers = new HashMap<>(4);
    for (String name : s.services.proxy().forwardedHeaders()) {
      String v = s.transport.requestHeader(name);
      if (v != null) {
        headers.put(name, v);
      }
    }
    s.proxy = new ProxyState(headers);
  }

  /** The connection as the backend is told of it. */
  static ClientContext context(Session s) {
    ProxyState p = s.proxy;
    boolean binary = s.codec.binary();
    return new ClientContext(s.id, s.user, s.transport.name(), binary ? "protobuf" : "json",
        binary ? "binary" : "json", p == null ? null : p.meta, p == null ? Map.of() : p.headers);
  }

  /**
   * The connection's expiry, when refresh_proxy extends it: at expiry, asks the backend; {@code expired} closes
   * with 3005, a disconnect with its code, anything else (a backend down) is retried after {@link #RETRY_MILLIS}.
   */
  static void refreshIfDue(Session s, long nowMillis) {
    ProxyState p = s.proxy;
    if (p.refreshing || nowMillis < s.expireAt * 1000 || nowMillis < p.retryAt) {
      return;
    }
    p.refreshing = true;
    s.services.proxy().refresh(context(s)).onComplete(ar -> {
      p.refreshing = false;
      if (s.state != Session.State.CONNECTED) {
        return;
      }
      if (ar.failed()) {
        if (ar.cause() instanceof BackendRefusal r && r.kind() == BackendRefusal.Kind.DISCONNECT) {
          s.close(r.code(), r.getMessage());
          return;
        }
        LIFECYCLE.debug("refresh proxy failed client={}: {}", s.id, ar.cause().toString());
        p.retryAt = nowMillis + RETRY_MILLIS;
        return;
      }
      ConnectionProxy.RefreshVerdict v = ar.result();
      if (v.expired()) {
        s.disconnect(DisconnectCode.CONNECTION_EXPIRED);
        return;
      }
      s.expireAt = v.expireAt();
      if (v.info() != null) {
        s.connInfo = v.info();
      }
    });
  }

  /**
   * A subscription's expiry, when sub_refresh_proxy extends it: true when the backend is (being) asked, so
   * the caller does not unsubscribe it. {@code expired} unsubscribes it (3006's sibling for a subscription,
   * as an unsubscribe push), a backend down is asked again at the next sweep.
   */
  static boolean subRefreshing(Session s, Session.ActiveSub a) {
    ProxyState p = s.proxy;
    String channel = a.sub().channel;
    if (p == null || !p.refreshedSubs.contains(channel)) {
      return false;
    }
    if (!p.subRefreshing.add(channel)) {
      return true;
    }
    NamespaceOptions ns = a.ns();
    s.services.core().subscribing().refreshByBackend(context(s), channel, ns).onComplete(ar -> {
      p.subRefreshing.remove(channel);
      if (s.subs.get(channel) != a) {
        return;
      }
      if (ar.failed()) {
        if (ar.cause() instanceof BackendRefusal r && r.kind() == BackendRefusal.Kind.DISCONNECT) {
          s.close(r.code(), r.getMessage());
        }
        return; // asked again at the next sweep
      }
      if (ar.result().expired()) {
        p.refreshedSubs.remove(channel);
        s.serverUnsubscribe(channel, 2501, "subscription expired");
        return;
      }
      a.sub().expireAt = ar.result().expireAt();
      if (ar.result().info() != null) {
        a.sub().chanInfo = ar.result().info();
      }
    });
    return true;
  }
}
