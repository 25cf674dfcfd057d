package io.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads and checks the proxy keys ({@link ProxyConfig}): kept apart from {@link ConfigLoader}, which calls it. */
final class ProxyConfigReader {
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

  private ProxyConfigReader() {}

  /** The namespace's {@code subscribe_proxy}, {@code publish_proxy} and {@code sub_refresh_proxy}. */
  static ProxyConfig.NamespaceProxies namespace(Section s) {
    return new ProxyConfig.NamespaceProxies(optString(s, "subscribe_proxy"), optString(s, "publish_proxy"),
        optString(s, "sub_refresh_proxy"));
  }

  /** The top-level keys; {@code namespaces} are the proxies the namespaces named, checked against the list. */
  static ProxyConfig read(Section root, Map<String, ProxyConfig.NamespaceProxies> namespaces) {
    Map<String, ProxyConfig.Endpoint> proxies = new LinkedHashMap<>();
    JsonNode list = root.get("proxies");
    if (!list.isArray()) {
      throw new ConfigException("proxies", "must be a list of {name, endpoint, timeout, http_headers}");
    }
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof ObjectNode o)) {
        throw new ConfigException("proxies[" + i + "]", "must be a mapping {name, endpoint, timeout, http_headers}");
      }
      ProxyConfig.Endpoint e = endpoint(new Section("proxies[" + i + "]", o));
      if (proxies.put(e.name(), e) != null) {
        throw new ConfigException("proxies[" + i + "].name", "'" + e.name() + "' is defined twice");
      }
    }
    String connect = named(root, "connect_proxy", proxies);
    boolean always = root.bool("connect_proxy_always");
    if (always && connect.isEmpty()) {
      throw new ConfigException("connect_proxy_always", "needs connect_proxy");
    }
    String refresh = named(root, "refresh_proxy", proxies);
    String rpc = named(root, "rpc_proxy", proxies);
    int maxInFlight = root.integer("proxy_max_in_flight", 1, 100_000);
    int maxResponse = root.integer("proxy_max_response_bytes", 1024, 64 * 1024 * 1024);
    int maxWaiting = root.integer("proxy_max_waiting", 0, 1_000_000);
    int pipelining = root.integer("proxy_http_pipelining", 1, 64);
    namespaces.forEach((ns, p) -> {
      String where = ns.isEmpty() ? "channels.defaults." : "channels.namespaces." + ns + ".";
      check(where + "subscribe_proxy", p.subscribe(), proxies);
      check(where + "publish_proxy", p.publish(), proxies);
      check(where + "sub_refresh_proxy", p.subRefresh(), proxies);
    });
    return new ProxyConfig(Map.copyOf(proxies), connect, always, refresh, rpc, Map.copyOf(namespaces), maxInFlight,
        maxResponse, maxWaiting, pipelining);
  }

  private static ProxyConfig.Endpoint endpoint(Section s) {
    String name = s.string("name");
    if (name.isBlank()) {
      throw new ConfigException(s.key("name"), "must not be empty");
    }
    String url = s.string("endpoint");
    ConfigLoader.checkHttpUrl(s.key("endpoint"), url);
    Duration timeout = Duration.ofSeconds(1);
    if (s.node.has("timeout")) {
      timeout = s.duration("timeout", false);
    }
    List<String> headers = s.node.has("http_headers") ? s.strings("http_headers") : List.of();
    for (String h : headers) {
      if (!HEADER_NAME.matcher(h).matches()) {
        throw new ConfigException(s.key("http_headers"), "'" + h + "' is not a header name");
      }
    }
    Map<String, String> statics = new LinkedHashMap<>();
    if (s.node.has("static_http_headers")) {
      Section st = s.section("static_http_headers");
      for (String h : st.fieldNames()) {
        if (!HEADER_NAME.matcher(h).matches()) {
          throw new ConfigException(st.key(h), "'" + h + "' is not a header name");
        }
        statics.put(h, st.string(h));
      }
      st.finish();
    }
    s.finish();
    return new ProxyConfig.Endpoint(name, url, timeout, List.copyOf(headers), Map.copyOf(statics));
  }

  private static String named(Section root, String key, Map<String, ProxyConfig.Endpoint> proxies) {
    String name = root.string(key);
    check(key, name, proxies);
    return name;
  }

  private static void check(String key, String name, Map<String, ProxyConfig.Endpoint> proxies) {
    if (!name.isEmpty() && !proxies.containsKey(name)) {
      throw new ConfigException(key, "names proxy '" + name + "', which is not in proxies");
    }
  }

  private static String optString(Section s, String k) {
    if (!s.node.has(k) || s.node.get(k).isNull()) {
      s.optBool(k); // marks the key as known (absent: false)
      return "";
    }
    return s.string(k);
  }
}
