package io.switchboard.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link SwitchboardConfig}: the defaults ({@code switchboard.yaml} on the classpath, copied from
 * {@code conf/switchboard.yaml}), then the optional {@code --conf} file deep-merged over them (maps merge key
 * by key, lists and scalars replace, an explicit null removes a key), then the environment variables of
 * {@link #ENV_OVERRIDES}. The result is validated strictly: anything wrong fails with a
 * {@link ConfigException} naming the dotted key, so the server never starts half-configured.
 */
public final class ConfigLoader {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  /** The classpath resource holding the defaults. */
  public static final String DEFAULTS_RESOURCE = "switchboard.yaml";

  /** The message of the rule that a clustered node needs an external PostgreSQL (key {@code postgres.url}). */
  static final String CLUSTER_NEEDS_EXTERNAL_PG = "a clustered node needs an external PostgreSQL "
      + "(SWITCHBOARD_PG_URL): an embedded PostgreSQL belongs to one node";

  /** How an environment variable's text becomes a configuration value. */
  public enum Kind { STRING, INT, BOOL, LIST, DEMO }

  /** One environment override: variable name, the dotted key it sets, and how its text is read. */
  public record EnvOverride(String variable, String key, Kind kind) {}

  /**
   * Every environment variable the loader reads, in one table (docs/configuration.md is checked against it).
   * A variable that is unset or empty leaves the key alone.
   */
  public static final List<EnvOverride> ENV_OVERRIDES = List.of(
      new EnvOverride("SWITCHBOARD_NODE_NAME", "node.name", Kind.STRING),
      new EnvOverride("SWITCHBOARD_HTTP_HOST", "http.host", Kind.STRING),
      new EnvOverride("SWITCHBOARD_HTTP_PORT", "http.port", Kind.INT),
      new EnvOverride("SWITCHBOARD_ALLOWED_ORIGINS", "http.allowed_origins", Kind.LIST),
      new EnvOverride("SWITCHBOARD_ALLOWED_HOSTS", "http.allowed_hosts", Kind.LIST),
      new EnvOverride("SWITCHBOARD_METRICS_TOKEN", "metrics.bearer_token", Kind.STRING),
      new EnvOverride("SWITCHBOARD_DATA_DIR", "data_dir", Kind.STRING),
      new EnvOverride("SWITCHBOARD_PG_URL", "postgres.url", Kind.STRING),
      new EnvOverride("SWITCHBOARD_TOKEN_HMAC_SECRET", "token.hmac_secret", Kind.STRING),
      new EnvOverride("SWITCHBOARD_TOKEN_RSA_PUBLIC_KEY", "token.rsa_public_key", Kind.STRING),
      new EnvOverride("SWITCHBOARD_TOKEN_ECDSA_PUBLIC_KEY", "token.ecdsa_public_key", Kind.STRING),
      new EnvOverride("SWITCHBOARD_TOKEN_JWKS_URL", "token.jwks_url", Kind.STRING),
      new EnvOverride("SWITCHBOARD_API_KEY", "api.key", Kind.STRING),
      new EnvOverride("SWITCHBOARD_DEMO", "demo", Kind.DEMO),
      new EnvOverride("SWITCHBOARD_CLUSTER_MEMBERS", "cluster.members", Kind.LIST),
      new EnvOverride("SWITCHBOARD_CLUSTER_KUBERNETES_DNS", "cluster.kubernetes_service_dns", Kind.STRING),
      new EnvOverride("SWITCHBOARD_CLUSTER_HOST", "cluster.host", Kind.STRING),
      new EnvOverride("SWITCHBOARD_CLUSTER_PORT", "cluster.port", Kind.INT),
      new EnvOverride("SWITCHBOARD_CLUSTER_PUBLIC_HOST", "cluster.public_host", Kind.STRING),
      new EnvOverride("SWITCHBOARD_EVENTBUS_PORT", "cluster.event_bus_port", Kind.INT),
      new EnvOverride("SWITCHBOARD_CLUSTER_NAME", "cluster.name", Kind.STRING),
      new EnvOverride("SWITCHBOARD_DRAIN_WINDOW", "shutdown.drain_window", Kind.STRING),
      new EnvOverride("SWITCHBOARD_SHUTDOWN_GRACE", "shutdown.grace", Kind.STRING),
      new EnvOverride("SWITCHBOARD_PUSH_ENABLED", "push.enabled", Kind.BOOL),
      new EnvOverride("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", "push.vapid_public_key", Kind.STRING),
      new EnvOverride("SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", "push.vapid_private_key", Kind.STRING),
      new EnvOverride("SWITCHBOARD_PUSH_VAPID_SUBJECT", "push.vapid_subject", Kind.STRING),
      new EnvOverride("SWITCHBOARD_PUSH_ALLOWED_ENDPOINTS", "push.allowed_endpoints", Kind.LIST),
      new EnvOverride("SWITCHBOARD_PUSH_SENDER_THREADS", "push.sender_threads", Kind.INT),
      mobile("push.fcm.credentials_file"), mobile("push.fcm.endpoint"), mobile("push.fcm.trust_file"),
      mobile("push.apns.key_file"), mobile("push.apns.key_id"), mobile("push.apns.team_id"),
      mobile("push.apns.topic"), mobile("push.apns.endpoint"), mobile("push.apns.trust_file"),
      new EnvOverride("SWITCHBOARD_WEBHOOK_URLS", "webhooks.urls", Kind.LIST),
      new EnvOverride("SWITCHBOARD_WEBHOOK_SECRET", "webhooks.secret", Kind.STRING),
      new EnvOverride("SWITCHBOARD_PROXY_MAX_IN_FLIGHT", "proxy_max_in_flight", Kind.INT),
      new EnvOverride("SWITCHBOARD_PROXY_MAX_WAITING", "proxy_max_waiting", Kind.INT),
      new EnvOverride("SWITCHBOARD_PROXY_HTTP_PIPELINING", "proxy_http_pipelining", Kind.INT),
      new EnvOverride("SWITCHBOARD_PUSHER_APP_ID", "pusher.app_id", Kind.STRING),
      new EnvOverride("SWITCHBOARD_PUSHER_APP_KEY", "pusher.app_key", Kind.STRING),
      new EnvOverride("SWITCHBOARD_PUSHER_APP_SECRET", "pusher.app_secret", Kind.STRING),
      new EnvOverride("SWITCHBOARD_PUSHER_APP_ENABLE_CLIENT_MESSAGES", "pusher.app_enable_client_messages",
          Kind.BOOL));

  private static EnvOverride mobile(String key) {
    return new EnvOverride(MobilePushConfigReader.ENV.get(key), key, Kind.STRING);
  }

  /** Namespace names, as in Centrifugo. */
  static final Pattern NAMESPACE_NAME = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern ORIGIN = Pattern.compile("https?://[^/\\s:?#]+(:\\d{1,5})?");
  /** A Host header value: a name or IPv4 address, or a bracketed IPv6 literal, with an optional port. */
  private static final Pattern HOST = Pattern.compile("([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:.]+\\])(:\\d{1,5})?");
  /**
   * RFC 7518's shortest HMAC key, for HS256. A secret of 32 to 63 bytes loads; tokens of an HS algorithm whose
   * hash is longer than the secret (HS384 below 48 bytes, HS512 below 64) are refused when checked.
   */
  static final int MIN_HMAC_SECRET_BYTES = 32;
  static final int MIN_API_KEY_LENGTH = 8;
  /** A DNS name: dot-separated labels of letters, digits and inner hyphens (Kubernetes names are lowercase). */
  private static final Pattern DNS_NAME =
      Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
  /** A host name, IPv4 address or bracketed IPv6 address, then a port. */
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();

  private ConfigLoader() {}

  /**
   * Loads and validates the configuration.
   *
   * @param confFileOrNull the {@code --conf} file, or null for the defaults alone
   * @param env the environment (normally {@code System.getenv()})
   * @throws ConfigException naming the offending key
   */
  public static SwitchboardConfig load(Path confFileOrNull, Map<String, String> env) {
    ObjectNode tree = defaults();
    if (confFileOrNull != null) {
      tree = merge(tree, readFile(confFileOrNull));
    }
    applyEnv(tree, env);
    return build(tree, env);
  }

  // ---- sources ----------------------------------------------------------------------------------------

  static ObjectNode defaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath (build problem)");
      }
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read built-in " + DEFAULTS_RESOURCE, e);
    }
  }

  private static ObjectNode readFile(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("--conf", "cannot read " + file + ": " + e);
    }
    JsonNode node;
    try {
      node = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException("--conf", file + " is not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException("--conf", file + " must hold a YAML mapping at its top level");
    }
    return (ObjectNode) node;
  }

  /** Deep merge: maps key by key; lists and scalars replace; an explicit null removes the key. */
  static ObjectNode merge(ObjectNode base, ObjectNode over) {
    ObjectNode out = base.deepCopy();
    Iterator<Map.Entry<String, JsonNode>> it = over.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode current = out.get(e.getKey());
      JsonNode value = e.getValue();
      if (value.isNull()) {
        out.remove(e.getKey());
      } else if (value.isObject() && current != null && current.isObject()) {
        out.set(e.getKey(), merge((ObjectNode) current, (ObjectNode) value));
      } else {
        out.set(e.getKey(), value.deepCopy());
      }
    }
    return out;
  }

  private static void applyEnv(ObjectNode tree, Map<String, String> env) {
    for (EnvOverride o : ENV_OVERRIDES) {
      String raw = env.get(o.variable());
      if (raw == null || raw.isBlank()) {
        continue;
      }
      String text = raw.strip();
      JsonNode value = switch (o.kind()) {
        case STRING -> JsonNodeFactory.instance.textNode(text);
        case DEMO -> JsonNodeFactory.instance.textNode(text.toLowerCase(java.util.Locale.ROOT));
        case BOOL -> switch (text.toLowerCase(java.util.Locale.ROOT)) {
          case "true" -> JsonNodeFactory.instance.booleanNode(true);
          case "false" -> JsonNodeFactory.instance.booleanNode(false);
          default -> throw new ConfigException(o.key(), o.variable() + "='" + text + "' is not true or false");
        };
        case INT -> {
          try {
            yield JsonNodeFactory.instance.numberNode(Integer.parseInt(text));
          } catch (NumberFormatException e) {
            throw new ConfigException(o.key(), o.variable() + "='" + text + "' is not an integer");
          }
        }
        case LIST -> {
          ArrayNode list = JsonNodeFactory.instance.arrayNode();
          for (String part : text.split(",")) {
            if (!part.isBlank()) {
              list.add(part.strip());
            }
          }
          yield list;
        }
      };
      ObjectNode parent = tree;
      String[] path = o.key().split("\\.");
      for (int i = 0; i < path.length - 1; i++) {
        JsonNode child = parent.get(path[i]);
        if (!(child instanceof ObjectNode)) {
          child = JsonNodeFactory.instance.objectNode();
          parent.set(path[i], child);
        }
        parent = (ObjectNode) child;
      }
      parent.set(path[path.length - 1], value);
    }
  }

  // ---- building and validation ---------------------------------------------------------------------------

  private static SwitchboardConfig build(ObjectNode tree, Map<String, String> env) {
    Section root = new Section("", tree);

    Section node = root.section("node");
    String nodeName = node.string("name");
    node.finish();

    Section h = root.section("http");
    String host = h.string("host");
    if (host.isBlank()) {
      throw new ConfigException(h.key("host"), "must not be empty (0.0.0.0 listens everywhere)");
    }
    int port = h.integer("port", 0, 65535);
    List<String> origins = h.strings("allowed_origins");
    for (String origin : origins) {
      if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
        throw new ConfigException(h.key("allowed_origins"), "'" + origin
            + "' is not an origin: write scheme://host[:port] without a path or trailing slash, or *");
      }
    }
    int maxApiBody = h.integer("max_api_body_bytes", 1, Integer.MAX_VALUE);
    List<String> allowedHosts = h.strings("allowed_hosts");
    for (String allowedHost : allowedHosts) {
      if (!HOST.matcher(allowedHost).matches()) {
        throw new ConfigException(h.key("allowed_hosts"), "'" + allowedHost
            + "' is not a host: write host or host:port as browsers send it in Host (no scheme, no path)");
      }
    }
    h.finish();

    Section metricsSection = root.section("metrics");
    String metricsToken = metricsSection.string("bearer_token");
    if (!metricsToken.isEmpty() && metricsToken.length() < MIN_API_KEY_LENGTH) {
      throw new ConfigException(metricsSection.key("bearer_token"), "too short: at least " + MIN_API_KEY_LENGTH
          + " characters");
    }
    metricsSection.finish();

    String dataDir = root.string("data_dir");
    if (dataDir.isBlank()) {
      throw new ConfigException("data_dir", "must not be empty");
    }

    Section pg = root.section("postgres");
    String pgUrl = pg.string("url");
    if (!pgUrl.isEmpty() && !pgUrl.startsWith("postgresql://") && !pgUrl.startsWith("postgres://")) {
      throw new ConfigException(pg.key("url"),
          "expected postgresql://user:pass@host:port/db (or empty for the embedded PostgreSQL)");
    }
    PostgresConfig postgres = readPostgresLimits(pg, pgUrl);
    pg.finish();

    Section t = root.section("token");
    String hmac = t.string("hmac_secret");
    String rsa = t.string("rsa_public_key");
    String ecdsa = t.string("ecdsa_public_key");
    String jwks = t.string("jwks_url");
    String audience = t.string("audience");
    String issuer = t.string("issuer");
    t.finish();
    int hmacBytes = hmac.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (!hmac.isEmpty() && hmacBytes < MIN_HMAC_SECRET_BYTES) {
      throw new ConfigException(t.key("hmac_secret"), "too short (" + hmacBytes + " bytes): at least "
          + MIN_HMAC_SECRET_BYTES + " bytes for HS256, 48 for HS384, 64 for HS512 (RFC 7518)");
    }
    if (!rsa.isEmpty()) {
      try {
        PemKeys.rsa(rsa);
      } catch (RuntimeException e) {
        throw new ConfigException(t.key("rsa_public_key"), e.getMessage());
      }
    }
    if (!ecdsa.isEmpty()) {
      try {
        PemKeys.ec(ecdsa);
      } catch (RuntimeException e) {
        throw new ConfigException(t.key("ecdsa_public_key"), e.getMessage());
      }
    }
    if (!jwks.isEmpty()) {
      checkHttpUrl(t.key("jwks_url"), jwks);
    }

    Section api = root.section("api");
    String apiKey = api.string("key");
    if (!apiKey.isEmpty() && apiKey.length() < MIN_API_KEY_LENGTH) {
      throw new ConfigException(api.key("key"), "too short: use at least " + MIN_API_KEY_LENGTH
          + " characters (or leave empty to disable the server API)");
    }
    api.finish();

    ClientConfig client = readClient(root.section("client"));
    Map<String, ProxyConfig.NamespaceProxies> nsProxies = new LinkedHashMap<>();
    ChannelConfig channels = readChannels(root.section("channels"), nsProxies);
    ProxyConfig proxy = ProxyConfigReader.read(root, nsProxies);
    ClusterConfig cluster = readCluster(root.section("cluster"), port);
    ShutdownConfig shutdown = readShutdown(root.section("shutdown"));
    Section pushSection = root.section("push");
    PushConfig push = readPush(pushSection);
    OutboxConfig outbox = readOutbox(root.section("outbox"));
    WebhookConfig webhooks = WebhookConfigReader.read(root.section("webhooks"));
    PusherConfig pusher = PusherConfigReader.read(root.section("pusher"));
    StreamsConfig streams = readStreams(root.section("http_stream"), root.section("sse"));
    Section u = root.section("uni");
    UniConfig uni = new UniConfig(u.bool("websocket"), u.bool("sse"), u.bool("http_stream"));
    u.finish();
    Section pl = root.section("payload");
    PayloadConfig payload = new PayloadConfig(pl.integer("max_depth", 1, PayloadConfig.DEPTH_CEILING),
        pl.integer("max_bytes", 1, Integer.MAX_VALUE));
    pl.finish();
    boolean demo = resolveDemo(root.get("demo"), pgUrl, cluster.enabled());
    root.finish();

    if (cluster.enabled() && pgUrl.isEmpty()) {
      throw new ConfigException(pg.key("url"), CLUSTER_NEEDS_EXTERNAL_PG);
    }
    if (cluster.enabled() && demo && hmac.isEmpty()) {
      throw new ConfigException("demo", "demo mode on a clustered node needs token.hmac_secret "
          + "(SWITCHBOARD_TOKEN_HMAC_SECRET) shared by every node: a secret generated per process would make "
          + "tokens minted by one node invalid on the others");
    }

    if (demo && hmac.isEmpty()) {
      byte[] secret = new byte[MIN_HMAC_SECRET_BYTES];
      new SecureRandom().nextBytes(secret);
      hmac = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
      LOG.info("demo mode: generated a random HMAC token secret for this process");
    }
    TokenConfig token = new TokenConfig(hmac, rsa, ecdsa, jwks, audience, issuer);
    if (!token.anyKey()) {
      throw new ConfigException("token", "no token key configured: set token.hmac_secret, "
          + "token.rsa_public_key, token.ecdsa_public_key or token.jwks_url (or SWITCHBOARD_TOKEN_HMAC_SECRET, "
          + "SWITCHBOARD_TOKEN_RSA_PUBLIC_KEY, SWITCHBOARD_TOKEN_ECDSA_PUBLIC_KEY, SWITCHBOARD_TOKEN_JWKS_URL)");
    }

    push = resolveVapidKeys(pushSection, push, demo, cluster.enabled());

    if (nodeName.isBlank()) {
      nodeName = hostName(env);
    }
    return new SwitchboardConfig(nodeName, new HttpConfig(host, port, List.copyOf(origins), maxApiBody,
        List.copyOf(allowedHosts)), dataDir, postgres, token, apiKey, demo, client, channels, cluster, shutdown, push,
        outbox, streams, uni, metricsToken, payload, webhooks, proxy, pusher);
  }

  private static StreamsConfig readStreams(Section httpStream, Section sse) {
    StreamsConfig streams = new StreamsConfig(httpStream.bool("enabled"), sse.bool("enabled"));
    httpStream.finish();
    sse.finish();
    return streams;
  }

  private static boolean resolveDemo(JsonNode value, String pgUrl, boolean clustered) {
    String text = value.isBoolean() ? value.asText() : value.isTextual() ? value.textValue() : "";
    return switch (text) {
      case "true" -> true;
      case "false" -> false;
      case "auto" -> pgUrl.isEmpty() && !clustered;
      default -> throw new ConfigException("demo", "expected auto, true or false, got " + value);
    };
  }

  private static ClusterConfig readCluster(Section c, int httpPort) {
    List<String> members = c.strings("members");
    for (String member : members) {
      var m = HOST_PORT.matcher(member);
      int memberPort = m.matches() ? Integer.parseInt(m.group(2)) : -1;
      if (memberPort < 1 || memberPort > 65535) {
        throw new ConfigException(c.key("members"), "'" + member
            + "' is not host:port (write e.g. 10.0.0.5:5701, node-1.example:5701 or [fd00::5]:5701)");
      }
    }
    String dns = c.string("kubernetes_service_dns").strip();
    if (!dns.isEmpty() && (dns.length() > 253 || !DNS_NAME.matcher(dns).matches())) {
      throw new ConfigException(c.key("kubernetes_service_dns"), "'" + dns + "' is not a DNS name (expected the "
          + "headless Service's FQDN, e.g. switchboard-hazelcast.switchboard.svc.cluster.local)");
    }
    if (!dns.isEmpty() && !members.isEmpty()) {
      throw new ConfigException(c.key("kubernetes_service_dns"), "cannot be combined with cluster.members "
          + "(SWITCHBOARD_CLUSTER_MEMBERS): choose TCP-IP members or Kubernetes DNS discovery, not both");
    }
    String host = hostOrEmpty(c, "host");
    int port = c.integer("port", 1, 65535);
    int eventBusPort = c.integer("event_bus_port", 0, 65535);
    String publicHost = hostOrEmpty(c, "public_host");
    String name = c.string("name");
    if (name.isBlank() || !name.strip().equals(name) || name.chars().anyMatch(Character::isWhitespace)) {
      throw new ConfigException(c.key("name"), "must be a non-empty name without spaces");
    }
    Duration heartbeat = wholeSeconds(c, "heartbeat_interval");
    Duration maxNoHeartbeat = wholeSeconds(c, "max_no_heartbeat");
    if (maxNoHeartbeat.compareTo(heartbeat) <= 0) {
      throw new ConfigException(c.key("max_no_heartbeat"), "must be longer than cluster.heartbeat_interval");
    }
    c.finish();
    ClusterConfig cluster = new ClusterConfig(List.copyOf(members), dns, host, port, eventBusPort, publicHost,
        name, heartbeat, maxNoHeartbeat);
    if (cluster.enabled()) {
      if (eventBusPort == port) {
        throw new ConfigException(c.key("event_bus_port"), "must differ from cluster.port (" + port + ")");
      }
      if (httpPort == port || httpPort == eventBusPort) {
        throw new ConfigException(c.key(httpPort == port ? "port" : "event_bus_port"),
            "must differ from http.port (" + httpPort + ")");
      }
    }
    return cluster;
  }

  private static String hostOrEmpty(Section c, String k) {
    String value = c.string(k);
    if (!value.isEmpty() && (value.isBlank() || value.chars().anyMatch(Character::isWhitespace))) {
      throw new ConfigException(c.key(k), "'" + value + "' is not a host name or address (or leave empty)");
    }
    return value;
  }

  /** Hazelcast's heartbeat properties are whole seconds; refuse values that would be silently truncated. */
  private static Duration wholeSeconds(Section c, String k) {
    Duration d = c.duration(k, false);
    if (d.toMillis() % 1000 != 0) {
      throw new ConfigException(c.key(k), "must be whole seconds (Hazelcast counts heartbeats in seconds)");
    }
    return d;
  }

  /** Push is validated whether or not it is enabled (a wrong allowlist entry is wrong either way). */
  private static PushConfig readPush(Section s) {
    boolean enabled = s.bool("enabled");
    String pub = s.string("vapid_public_key").strip();
    String priv = s.string("vapid_private_key").strip();
    String subject = s.string("vapid_subject").strip();
    List<String> endpoints = s.strings("allowed_endpoints");
    int threads = s.integer("sender_threads", 1, 64);
    int attempts = s.integer("max_attempts", 1, 100);
    boolean insecureLocalhost = s.bool("allow_insecure_localhost");
    FcmConfig fcm = MobilePushConfigReader.fcm(s.section("fcm"));
    ApnsConfig apns = MobilePushConfigReader.apns(s.section("apns"));
    Duration lease = s.duration("lease", false);
    Duration retryBase = s.duration("retry_base", false);
    if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ConfigException(s.key("lease"), "must be at least 1s (a send must fit in it)");
    }
    try {
      io.switchboard.config.EndpointAllowlist.parse(endpoints, insecureLocalhost);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.key("allowed_endpoints"), e.getMessage());
    }
    if (enabled && !subject.startsWith("mailto:") && !subject.startsWith("https://")) {
      throw new ConfigException(s.key("vapid_subject"), "must be a mailto: or https: contact URI (RFC 8292), "
          + "got '" + subject + "' (SWITCHBOARD_PUSH_VAPID_SUBJECT)");
    }
    s.finish();
    return new PushConfig(enabled, pub, priv, subject, List.copyOf(endpoints), threads, attempts, insecureLocalhost,
        lease, retryBase, fcm, apns);
  }

  /**
   * VAPID keys are required when push is enabled. Without keys, demo mode generates a pair for this process;
   * anywhere else that is an error, because browsers bind their subscriptions to the key: keys that change on
   * restart (or differ between nodes) would silently break every subscription.
   */
  private static PushConfig resolveVapidKeys(Section s, PushConfig p, boolean demo, boolean clustered) {
    if (!p.enabled()) {
      return p;
    }
    String pub = p.vapidPublicKey();
    String priv = p.vapidPrivateKey();
    if (pub.isEmpty() && priv.isEmpty()) {
      if (!demo) {
        throw new ConfigException(s.key("vapid_public_key"), "push is enabled but no VAPID key pair is "
            + "configured: set push.vapid_public_key and push.vapid_private_key (SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY, "
            + "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY; e.g. `npx web-push generate-vapid-keys`), or push.enabled: false");
      }
      if (clustered) {
        throw new ConfigException(s.key("vapid_public_key"), "demo mode on a clustered node needs a configured "
            + "VAPID key pair shared by every node (SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY, "
            + "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY): keys generated per process would break subscriptions");
      }
      String[] pair = io.switchboard.crypto.VapidKeys.generate();
      pub = pair[0];
      priv = pair[1];
      LOG.info("demo mode: generated a VAPID key pair for this process (push subscriptions end with it)");
    } else if (pub.isEmpty() || priv.isEmpty()) {
      String missing = pub.isEmpty() ? "vapid_public_key" : "vapid_private_key";
      throw new ConfigException(s.key(missing), "is empty while its pair is set: set both VAPID keys ("
          + (pub.isEmpty() ? "SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY" : "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY") + ")");
    }
    try {
      pub = io.switchboard.crypto.VapidKeys.parse(pub, priv).publicKey();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      String key = m.startsWith("public") ? "vapid_public_key" : "vapid_private_key";
      throw new ConfigException(s.key(key), m.substring(m.indexOf(':') + 2)
          + " (base64url: the public key a 65-byte uncompressed P-256 point, the private key its 32-byte scalar)");
    }
    return new PushConfig(true, pub, priv, p.vapidSubject(), p.allowedEndpoints(), p.senderThreads(),
        p.maxAttempts(), p.allowInsecureLocalhost(), p.lease(), p.retryBase(), p.fcm(), p.apns());
  }

  /** Pool size and the timeouts that keep a hung PostgreSQL from hanging the node. */
  private static PostgresConfig readPostgresLimits(Section pg, String pgUrl) {
    int poolSize = pg.integer("pool_size", 1, 1024);
    int pipelining = pg.integer("pipelining_limit", 1, 65536);
    Duration connect = capped(pg, "connect_timeout", pg.duration("connect_timeout", false));
    Duration statement = capped(pg, "statement_timeout", pg.duration("statement_timeout", false));
    Duration idle = capped(pg, "idle_timeout", pg.duration("idle_timeout", true));
    Duration ready = capped(pg, "ready_timeout", pg.duration("ready_timeout", false));
    int waitQueue = pg.integer("wait_queue_size", 1, 1_000_000);
    return new PostgresConfig(pgUrl, poolSize, pipelining, connect, statement, idle, ready, waitQueue);
  }

  /** PostgreSQL and the pool take these in whole milliseconds of an int; an hour is already no deadline. */
  private static Duration capped(Section s, String k, Duration d) {
    if (d.compareTo(Duration.ofHours(1)) > 0) {
      throw new ConfigException(s.key(k), "must be at most 1h");
    }
    if (!d.isZero() && d.toMillis() < 1) {
      throw new ConfigException(s.key(k), "must be at least 1ms");
    }
    return d;
  }

  private static OutboxConfig readOutbox(Section s) {
    OutboxConfig o = new OutboxConfig(s.bool("enabled"), s.duration("poll_interval", false),
        s.integer("batch_size", 1, 10_000));
    s.finish();
    return o;
  }

  private static ShutdownConfig readShutdown(Section s) {
    Duration drainWindow = s.duration("drain_window", true);
    Duration grace = s.duration("grace", false);
    if (grace.compareTo(drainWindow) <= 0) {
      throw new ConfigException(s.key("grace"), "must be longer than shutdown.drain_window (" + drainWindow.toMillis()
          + "ms): the node closes its clients over the drain window, then needs time to leave the cluster");
    }
    s.finish();
    return new ShutdownConfig(drainWindow, grace);
  }

  private static ClientConfig readClient(Section c) {
    Duration ping = c.duration("ping_interval", false);
    Duration pong = c.duration("pong_timeout", false);
    if (pong.compareTo(ping) >= 0) {
      throw new ConfigException(c.key("pong_timeout"), "must be shorter than client.ping_interval");
    }
    ClientConfig client = new ClientConfig(
        ping,
        pong,
        c.duration("stale_timeout", false),
        c.duration("expired_close_delay", true),
        c.integer("max_message_bytes", 1, Integer.MAX_VALUE),
        c.integer("max_subscriptions", 1, Integer.MAX_VALUE),
        c.integer("command_rate", 1, Integer.MAX_VALUE),
        c.integer("command_burst", 1, Integer.MAX_VALUE),
        c.integer("max_outbound_bytes", 1, Integer.MAX_VALUE),
        c.integer("recovery_max_publications", 1, Integer.MAX_VALUE),
        c.integer("history_max_limit", 1, Integer.MAX_VALUE),
        c.bool("allow_anonymous"),
        c.integer("max_pending_command_bytes", 1, Integer.MAX_VALUE),
        c.integer("max_pending_commands", 1, Integer.MAX_VALUE),
        c.integer("node_pending_command_bytes", 1, Integer.MAX_VALUE));
    c.finish();
    return client;
  }

  private static ChannelConfig readChannels(Section c, Map<String, ProxyConfig.NamespaceProxies> proxies) {
    int maxLength = c.integer("max_length", 1, 1024);
    boolean personal = c.bool("subscribe_to_personal");
    String personalNs = c.string("personal_namespace");
    NamespaceOptions defaults = readNamespace(c.section("defaults"), "", proxies);
    Section ns = c.section("namespaces");
    Map<String, NamespaceOptions> namespaces = new LinkedHashMap<>();
    for (String name : ns.fieldNames()) {
      if (!NAMESPACE_NAME.matcher(name).matches()) {
        throw new ConfigException(ns.key(name), "namespace names may only use letters, digits, _ and -");
      }
      namespaces.put(name, readNamespace(ns.section(name), name, proxies));
    }
    ns.finish();
    if (personal && !namespaces.containsKey(personalNs)) {
      throw new ConfigException(c.key("personal_namespace"), "namespace '" + personalNs
          + "' is not defined under channels.namespaces (needed because subscribe_to_personal is on)");
    }
    c.finish();
    return new ChannelConfig(defaults, Map.copyOf(namespaces), personal, personalNs, maxLength);
  }

  private static NamespaceOptions readNamespace(Section s, String name,
      Map<String, ProxyConfig.NamespaceProxies> proxies) {
    proxies.put(name, ProxyConfigReader.namespace(s));
    NamespaceOptions o = new NamespaceOptions(
        name,
        s.optBool("presence"),
        s.optBool("join_leave"),
        s.optBool("force_push_join_leave"),
        s.optInt("history_size", 0, Integer.MAX_VALUE),
        s.optDuration("history_ttl"),
        s.optBool("force_positioning"),
        s.optBool("force_recovery"),
        s.optBool("allow_subscribe_for_client"),
        s.optBool("allow_subscribe_for_anonymous"),
        s.optBool("allow_publish_for_subscriber"),
        s.optBool("allow_publish_for_client"),
        s.optBool("allow_history_for_subscriber"),
        s.optBool("allow_history_for_client"),
        s.optBool("allow_presence_for_subscriber"),
        s.optBool("allow_presence_for_client"),
        s.optBool("allow_user_limited_channels"),
        s.optRegex("channel_regex"),
        s.optBool("binary"));
    s.finish();
    if (!o.history()) {
      for (String k : List.of("force_positioning", "force_recovery", "allow_history_for_subscriber",
          "allow_history_for_client")) {
        if (s.node.path(k).asBoolean(false)) {
          throw new ConfigException(s.key(k), "needs history: set history_size > 0 in this namespace");
        }
      }
      if (!o.historyTtl().isZero()) {
        throw new ConfigException(s.key("history_ttl"), "has no effect without history_size > 0");
      }
    }
    if (o.forcePushJoinLeave() && !o.joinLeave()) {
      throw new ConfigException(s.key("force_push_join_leave"), "needs join_leave: true in this namespace");
    }
    return o;
  }

  /** An absolute http:// or https:// URL with a host (jwks_url, proxy endpoints, webhook URLs). */
  static void checkHttpUrl(String key, String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
        throw new ConfigException(key, "expected an http:// or https:// URL, got '" + url + "'");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException(key, "not a URL: " + e.getMessage());
    }
  }

  private static String hostName(Map<String, String> env) {
    String fromEnv = env.get("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "switchboard";
    }
  }
}
