package io.switchboard.proxy;

import io.switchboard.config.NamespaceOptions;
import io.switchboard.config.ProxyConfig;
import io.switchboard.core.ChannelBackend;
import io.switchboard.core.ClientContext;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The subscribe, publish and sub_refresh proxies over HTTP, in Centrifugo's shapes (docs/proxy.md): which
 * proxy a namespace uses comes from {@code subscribe_proxy}, {@code publish_proxy} and
 * {@code sub_refresh_proxy}.
 */
public final class HttpChannelBackend implements ChannelBackend {
  private final ProxyClient client;
  private final ProxyConfig config;

  public HttpChannelBackend(ProxyClient client, ProxyConfig config) {
    this.client = client;
    this.config = config;
  }

  private ProxyConfig.NamespaceProxies of(NamespaceOptions ns) {
    return config.namespace(ns.name());
  }

  @Override
  public boolean decidesSubscribe(NamespaceOptions ns) {
    return !of(ns).subscribe().isEmpty();
  }

  @Override
  public boolean decidesPublish(NamespaceOptions ns) {
    return !of(ns).publish().isEmpty();
  }

  @Override
  public boolean refreshesSubscriptions(NamespaceOptions ns) {
    return !of(ns).subRefresh().isEmpty();
  }

  @Override
  public Future<SubscribeVerdict> subscribe(ClientContext who, String channel, NamespaceOptions ns) {
    ProxyJson body = ProxyJson.of(who, true).string("channel", channel);
    return client.call(config.endpoint(of(ns).subscribe()), "subscribe", body.toBuffer(), who.headers())
        .map(r -> new SubscribeVerdict(ProxyJson.info(r), r.getLong("expire_at", 0L)));
  }

  @Override
  public Future<PublishVerdict> publish(ClientContext who, String channel, NamespaceOptions ns, byte[] data,
      boolean json) {
    ProxyJson body = ProxyJson.of(who, true).string("channel", channel).data(data, json);
    return client.call(config.endpoint(of(ns).publish()), "publish", body.toBuffer(), who.headers())
        .map(HttpChannelBackend::publishVerdict);
  }

  private static PublishVerdict publishVerdict(JsonObject r) {
    byte[] replaced = ProxyJson.bytes(r, "data");
    boolean skipHistory = r.getBoolean("skip_history", false);
    JsonObject t = r.getJsonObject("tags");
    if (replaced == null && !skipHistory && t == null) {
      return PublishVerdict.AS_SENT;
    }
    Map<String, String> tags = null;
    if (t != null) {
      tags = new HashMap<>();
      for (String k : t.fieldNames()) {
        tags.put(k, String.valueOf(t.getValue(k)));
      }
    }
    return new PublishVerdict(replaced, replaced == null || ProxyJson.isJson(r, "data"), skipHistory, tags);
  }

  @Override
  public Future<SubRefreshVerdict> subRefresh(ClientContext who, String channel, NamespaceOptions ns) {
    ProxyJson body = ProxyJson.of(who, true).string("channel", channel);
    return client.call(config.endpoint(of(ns).subRefresh()), "sub_refresh", body.toBuffer(), who.headers())
        .map(r -> new SubRefreshVerdict(r.getBoolean("expired", false), r.getLong("expire_at", 0L),
            ProxyJson.info(r)));
  }
}
