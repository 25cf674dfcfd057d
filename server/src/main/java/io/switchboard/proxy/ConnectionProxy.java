package io.switchboard.proxy;

import io.switchboard.config.ProxyConfig;
import io.switchboard.core.ClientContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connection-level proxies of the Centrifugo protocol, in Centrifugo's shapes (docs/proxy.md):
 * {@code connect_proxy} authenticates a connection, {@code refresh_proxy} extends one it authenticated,
 * {@code rpc_proxy} answers RPC methods Switchboard does not define.
 */
public final class ConnectionProxy {
  /** No connection proxies (tests, and nodes without any). */
  public static final ConnectionProxy NONE = new ConnectionProxy(null, ProxyConfig.NONE);

  private final ProxyClient client;
  private final ProxyConfig config;
  private final Set<String> forwardedHeaders;

  public ConnectionProxy(ProxyClient client, ProxyConfig config) {
    this.client = client;
    this.config = config;
    this.forwardedHeaders = config.forwardedHeaders();
  }

  /** The client's server-side subscription options from {@code subs}: info (JSON text or null), expiry. */
  public record SubOptions(String info, long expireAt) {}

  /**
   * The backend's identity for a connection: {@code user} ("" anonymous), {@code expireAt} (epoch s, 0 never),
   * {@code info} (JSON text or null), {@code channels} and {@code subs} (server-side subscriptions; subs keyed
   * by channel), {@code meta} (JSON text kept with the connection and sent with its later proxy requests).
   */
  public record ConnectVerdict(String user, long expireAt, String info, byte[] data, List<String> channels,
      Map<String, SubOptions> subs, byte[] meta) {}

  /** {@code expired}: close the connection (3005); else it lasts to {@code expireAt}, with new info if set. */
  public record RefreshVerdict(boolean expired, long expireAt, String info) {}

  /** Whether a connect with (or without) a token goes to the backend. */
  public boolean connects(boolean hasToken) {
    return !config.connectProxy().isEmpty() && (!hasToken || config.connectProxyAlways());
  }

  public boolean refreshes() {
    return !config.refreshProxy().isEmpty();
  }

  public boolean answersRpc() {
    return !config.rpcProxy().isEmpty();
  }

  /** The request headers a connection keeps for its proxy requests (lower-case names; empty: none). */
  public Set<String> forwardedHeaders() {
    return forwardedHeaders;
  }

  /** {@code data}: what the client sent in connect (JSON text when {@code json}), or null. */
  public Future<ConnectVerdict> connect(ClientContext who, byte[] data, boolean json) {
    ProxyJson body = ProxyJson.of(who, false).data(data, json);
    return client.call(config.endpoint(config.connectProxy()), "connect", body.toBuffer(), who.headers())
        .map(ConnectionProxy::connectVerdict);
  }

  private static ConnectVerdict connectVerdict(JsonObject r) {
    List<String> channels = new ArrayList<>();
    for (Object c : ProxyJson.array(r, "channels")) {
      if (!(c instanceof String s)) {
        throw new IllegalArgumentException("channels must be strings");
      }
      channels.add(s);
    }
    Map<String, SubOptions> subs = new LinkedHashMap<>();
    JsonObject s = r.getJsonObject("subs");
    if (s != null) {
      for (String channel : s.fieldNames()) {
        JsonObject o = s.getJsonObject(channel, new JsonObject());
        subs.put(channel, new SubOptions(ProxyJson.info(o), o.getLong("expire_at", 0L)));
      }
    }
    Object meta = r.getValue("meta");
    return new ConnectVerdict(r.getString("user", ""), r.getLong("expire_at", 0L), ProxyJson.info(r),
        ProxyJson.bytes(r, "data"), channels, subs, meta == null ? null : io.vertx.core.json.Json.encodeToBuffer(meta).getBytes());
  }

  public Future<RefreshVerdict> refresh(ClientContext who) {
    ProxyJson body = ProxyJson.of(who, true);
    return client.call(config.endpoint(config.refreshProxy()), "refresh", body.toBuffer(), who.headers())
        .map(r -> new RefreshVerdict(r.getBoolean("expired", false), r.getLong("expire_at", 0L),
            ProxyJson.info(r)));
  }

  /** The backend's answer to an RPC: its {@code data} as JSON text (or bytes from b64data), or null. */
  public Future<byte[]> rpc(ClientContext who, String method, byte[] data, boolean json) {
    ProxyJson body = ProxyJson.of(who, true).string("method", method).data(data, json);
    return client.call(config.endpoint(config.rpcProxy()), "rpc", body.toBuffer(), who.headers())
        .map(r -> ProxyJson.bytes(r, "data"));
  }
}
