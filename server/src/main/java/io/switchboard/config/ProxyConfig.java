package io.switchboard.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proxying client events to the application backend over HTTP (docs/proxy.md): the named {@code proxies},
 * which of them handle connect, refresh and RPC (top level), and which handle subscribe, publish and
 * sub_refresh in each namespace ({@code namespaces}, by namespace name, "" for channels without one). An empty
 * name means "no proxy". Endpoints come from here only: nothing a client sends can change a URL.
 */
public record ProxyConfig(
    Map<String, Endpoint> proxies,
    String connectProxy,
    boolean connectProxyAlways,
    String refreshProxy,
    String rpcProxy,
    Map<String, NamespaceProxies> namespaces,
    int maxInFlight,
    int maxResponseBytes,
    int maxWaiting,
    int httpPipelining) {

  /**
   * One backend endpoint. {@code httpHeaders}: the client's headers (of its upgrade or connect request) that
   * are forwarded, an allowlist; {@code staticHeaders}: headers every request carries (a backend secret).
   */
  public record Endpoint(String name, String url, Duration timeout, List<String> httpHeaders,
      Map<String, String> staticHeaders) {}

  /** The proxies of one namespace, each a name or "". */
  public record NamespaceProxies(String subscribe, String publish, String subRefresh) {
    public static final NamespaceProxies NONE = new NamespaceProxies("", "", "");
  }

  /** No proxy at all (tests, and the default configuration). */
  public static final ProxyConfig NONE = new ProxyConfig(Map.of(), "", false, "", "", Map.of(), 2048, 65536, 10_000, 8);

  /**
   * Keep-alive connections per endpoint: enough for {@code maxInFlight} requests at {@code httpPipelining} per
   * connection, so a request never waits in the pool's queue.
   */
  public int maxConnections() {
    return (maxInFlight + httpPipelining - 1) / httpPipelining;
  }

  /** The endpoint of that name, or null for "" (validated by the loader: a name always exists). */
  public Endpoint endpoint(String name) {
    return name == null || name.isEmpty() ? null : proxies.get(name);
  }

  /** The proxies of a namespace (NONE when it names none). */
  public NamespaceProxies namespace(String namespace) {
    return namespaces.getOrDefault(namespace, NamespaceProxies.NONE);
  }

  /** Every header name some proxy forwards, lower case: what a connection keeps of its request's headers. */
  public Set<String> forwardedHeaders() {
    Set<String> all = new LinkedHashSet<>();
    proxies.values().forEach(e -> e.httpHeaders().forEach(h -> all.add(h.toLowerCase(java.util.Locale.ROOT))));
    return all;
  }
}
