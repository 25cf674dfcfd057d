package io.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  static final String SECRET = "0123456789abcdef0123456789abcdef-test";

  @TempDir
  Path dir;

  private Path yaml(String text) throws IOException {
    Path file = dir.resolve("conf-" + System.nanoTime() + ".yaml");
    Files.writeString(file, text);
    return file;
  }

  /** A VAPID key pair for tests (push is enabled by default and needs one outside demo mode). */
  static final String VAPID_PUBLIC =
      "BL3q4DxMgvPSKkO2gAmEiuMmV6sbVpwgVN35oXS30mfXGvkUCbihmEeu7wnMNviiCTq39EVCdxx8w_UEuqCMSn0";
  static final String VAPID_PRIVATE = "c-IES9xVrNcmE1JoWIICv7CHZGuz4icKsb444g8WFmE";

  private static Map<String, String> env(String... kv) {
    Map<String, String> env = new HashMap<>();
    env.put("HOSTNAME", "test-host");
    env.put("SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY", VAPID_PUBLIC);
    env.put("SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY", VAPID_PRIVATE);
    for (int i = 0; i < kv.length; i += 2) {
      env.put(kv[i], kv[i + 1]);
    }
    return env;
  }

  static String pem(java.security.PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  @Test
  void httpStreamingAndSseAreOnByDefaultAndSwitchedEachByItsKey() throws IOException {
    assertThat(ConfigLoader.load(null, env()).streams()).isEqualTo(new StreamsConfig(true, true));
    StreamsConfig off = ConfigLoader.load(yaml("http_stream:\n  enabled: false\n"), env()).streams();
    assertThat(off).isEqualTo(new StreamsConfig(false, true));
    assertThat(off.emulation()).as("/emulation stays while sse is on").isTrue();
    StreamsConfig none = ConfigLoader.load(yaml("http_stream:\n  enabled: false\nsse:\n  enabled: false\n"), env())
        .streams();
    assertThat(none.emulation()).isFalse();
    assertThatThrownBy(() -> ConfigLoader.load(yaml("sse:\n  enabeld: false\n"), env()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sse.enabeld");
  }

  // ---- defaults ---------------------------------------------------------------------------------------

  @Test
  void defaultsLoadAndMatchTheYaml() {
    SwitchboardConfig c = ConfigLoader.load(null, env());

    assertThat(c.nodeName()).isEqualTo("test-host");
    assertThat(c.http()).isEqualTo(new HttpConfig("0.0.0.0", 8000, List.of(), 1048576, List.of()));
    assertThat(c.dataDir()).isEqualTo("./data");
    assertThat(c.postgres()).isEqualTo(new PostgresConfig("", 8, 256));
    assertThat(c.postgres().embedded()).isTrue();
    assertThat(c.apiKey()).isEmpty();
    assertThat(c.demo()).as("auto + embedded PostgreSQL = demo").isTrue();
    assertThat(c.token().hmacSecret()).as("demo generates a secret").hasSizeGreaterThanOrEqualTo(32);
    assertThat(c.token().rsaPublicKeyPem()).isEmpty();

    ClientConfig client = c.client();
    assertThat(client.pingInterval()).isEqualTo(Duration.ofSeconds(25));
    assertThat(client.pongTimeout()).isEqualTo(Duration.ofSeconds(8));
    assertThat(client.staleTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(client.expiredCloseDelay()).isEqualTo(Duration.ofSeconds(25));
    assertThat(client.maxMessageBytes()).isEqualTo(65536);
    assertThat(client.maxSubscriptions()).isEqualTo(128);
    assertThat(client.commandRatePerSecond()).isEqualTo(100);
    assertThat(client.commandBurst()).isEqualTo(200);
    assertThat(client.maxOutboundBytes()).isEqualTo(2097152);
    assertThat(client.recoveryMaxPublications()).isEqualTo(300);
    assertThat(client.historyMaxLimit()).isEqualTo(1000);
    assertThat(client.allowAnonymous()).isFalse();

    ChannelConfig ch = c.channels();
    assertThat(ch.maxChannelLength()).isEqualTo(255);
    assertThat(ch.subscribeToPersonal()).isTrue();
    assertThat(ch.personalNamespace()).isEqualTo("notify");
    assertThat(ch.namespaces()).containsOnlyKeys("chat", "notify", "typing", "dm");
    assertThat(ch.namespace("")).isSameAs(ch.defaults());
    assertThat(ch.namespace("nope")).isNull();

    NamespaceOptions defaults = ch.defaults();
    assertThat(defaults.name()).isEmpty();
    assertThat(defaults.allowSubscribeForClient()).isTrue();
    assertThat(defaults.allowPublishForSubscriber()).isFalse();
    assertThat(defaults.history()).isFalse();
    assertThat(defaults.historyTtl()).isZero();
    assertThat(defaults.channelRegex()).isNull();

    NamespaceOptions chat = ch.namespace("chat");
    assertThat(chat).isEqualTo(new NamespaceOptions("chat", true, true, true, 10000, Duration.ofDays(30), true,
        true, true, false, true, false, true, false, true, false, false, null, false));
    NamespaceOptions notify = ch.namespace("notify");
    assertThat(notify.allowUserLimitedChannels()).isTrue();
    assertThat(notify.allowSubscribeForClient()).isFalse();
    assertThat(notify.history()).isTrue();
    NamespaceOptions dm = ch.namespace("dm");
    assertThat(dm.presence()).isTrue();
    assertThat(dm.forcePushJoinLeave()).isFalse();

    assertThat(c.cluster()).isEqualTo(new ClusterConfig(List.of(), "", "", 5701, 17001, "", "switchboard",
        Duration.ofSeconds(1), Duration.ofSeconds(5)));
    assertThat(c.cluster().enabled()).isFalse();
    assertThat(c.cluster().advertisedHost()).isEmpty();
    assertThat(c.shutdown()).isEqualTo(new ShutdownConfig(Duration.ofSeconds(10), Duration.ofSeconds(30)));
  }

  @Test
  void demoSecretIsRandomPerLoad() {
    String a = ConfigLoader.load(null, env()).token().hmacSecret();
    String b = ConfigLoader.load(null, env()).token().hmacSecret();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void nodeNameFallsBackToTheHostWithoutHostnameVariable() {
    SwitchboardConfig c = ConfigLoader.load(null, Map.of());
    assertThat(c.nodeName()).isNotBlank();
  }

  // ---- precedence --------------------------------------------------------------------------------------

  @Test
  void confFileMergesOverDefaultsKeyByKey() throws IOException {
    Path file = yaml("""
        node:
          name: n1
        http:
          port: 9000
          allowed_origins: [https://a.example, "http://b.example:8080"]
        channels:
          namespaces:
            chat:
              presence: false
              channel_regex: "^[a-z0-9]+$"
            extra:
              allow_subscribe_for_client: true
            typing: ~
        """);
    SwitchboardConfig c = ConfigLoader.load(file, env());

    assertThat(c.nodeName()).isEqualTo("n1");
    assertThat(c.http().port()).isEqualTo(9000);
    assertThat(c.http().host()).as("untouched sibling keeps its default").isEqualTo("0.0.0.0");
    assertThat(c.http().allowedOrigins()).containsExactly("https://a.example", "http://b.example:8080");
    NamespaceOptions chat = c.channels().namespace("chat");
    assertThat(chat.presence()).isFalse();
    assertThat(chat.joinLeave()).as("merged, not replaced").isTrue();
    assertThat(chat.historySize()).isEqualTo(10000);
    assertThat(chat.channelRegex().pattern()).isEqualTo("^[a-z0-9]+$");
    assertThat(c.channels().namespaces()).containsOnlyKeys("chat", "notify", "dm", "extra");
    assertThat(c.channels().namespace("extra").allowSubscribeForClient()).isTrue();
    assertThat(c.channels().namespace("extra").presence()).isFalse();
  }

  @Test
  void listsReplaceRatherThanAppend() throws IOException {
    Path base = yaml("http:\n  allowed_origins: [https://a.example, https://b.example]\n");
    assertThat(ConfigLoader.load(base, env("SWITCHBOARD_ALLOWED_ORIGINS", "https://c.example"))
        .http().allowedOrigins()).containsExactly("https://c.example");
  }

  @Test
  void envOverridesTheFile() throws IOException {
    Path file = yaml("http:\n  port: 9000\n  host: 10.0.0.1\n");
    SwitchboardConfig c = ConfigLoader.load(file, env("SWITCHBOARD_HTTP_PORT", "9100"));
    assertThat(c.http().port()).isEqualTo(9100);
    assertThat(c.http().host()).isEqualTo("10.0.0.1");
  }

  @Test
  void emptyEnvVariablesAreIgnored() throws IOException {
    Path file = yaml("http:\n  port: 9000\n");
    SwitchboardConfig c = ConfigLoader.load(file, env("SWITCHBOARD_HTTP_PORT", "", "SWITCHBOARD_API_KEY", " "));
    assertThat(c.http().port()).isEqualTo(9000);
    assertThat(c.apiKey()).isEmpty();
  }

  @Test
  void everyListedEnvVariableApplies() throws Exception {
    var rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    var ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    String rsaPem = pem(rsa.generateKeyPair().getPublic());
    String ecPem = pem(ec.generateKeyPair().getPublic()).replace("\n", "\\n"); // one-line form
    SwitchboardConfig c = ConfigLoader.load(null, env(
        "SWITCHBOARD_NODE_NAME", "node-7",
        "SWITCHBOARD_HTTP_HOST", "127.0.0.1",
        "SWITCHBOARD_HTTP_PORT", "8123",
        "SWITCHBOARD_ALLOWED_ORIGINS", " https://a.example , https://b.example:8443,",
        "SWITCHBOARD_ALLOWED_HOSTS", "chat.example.com, [::1]:8000",
        "SWITCHBOARD_METRICS_TOKEN", "metrics-token-123",
        "SWITCHBOARD_DATA_DIR", "/tmp/sb",
        "SWITCHBOARD_PG_URL", "postgresql://u:p@db:5432/sb",
        "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET,
        "SWITCHBOARD_TOKEN_RSA_PUBLIC_KEY", rsaPem,
        "SWITCHBOARD_TOKEN_ECDSA_PUBLIC_KEY", ecPem,
        "SWITCHBOARD_TOKEN_JWKS_URL", "https://idp.example/.well-known/jwks.json",
        "SWITCHBOARD_API_KEY", "api-key-123",
        "SWITCHBOARD_DEMO", "TRUE",
        "SWITCHBOARD_CLUSTER_MEMBERS", " 10.0.0.1:5701, 10.0.0.2:5702 ,[fd00::3]:5703,",
        "SWITCHBOARD_CLUSTER_HOST", "10.0.0.1",
        "SWITCHBOARD_CLUSTER_PORT", "5801",
        "SWITCHBOARD_CLUSTER_PUBLIC_HOST", "203.0.113.7",
        "SWITCHBOARD_EVENTBUS_PORT", "17101",
        "SWITCHBOARD_CLUSTER_NAME", "sb-test",
        "SWITCHBOARD_DRAIN_WINDOW", "4s",
        "SWITCHBOARD_SHUTDOWN_GRACE", "1m",
        "SWITCHBOARD_PUSH_VAPID_SUBJECT", "https://example.com/contact",
        "SWITCHBOARD_PUSH_ALLOWED_ENDPOINTS", "https://push.example, https://*.push.example:8443",
        "SWITCHBOARD_WEBHOOK_URLS", "https://backend.example/hooks, http://10.0.0.9:8080/h",
        "SWITCHBOARD_WEBHOOK_SECRET", "webhook-secret-0123456789",
        "SWITCHBOARD_PROXY_MAX_IN_FLIGHT", "77", "SWITCHBOARD_PROXY_MAX_WAITING", "78",
        "SWITCHBOARD_PROXY_HTTP_PIPELINING", "3",
        "SWITCHBOARD_PUSHER_APP_ID", "app-1",
        "SWITCHBOARD_PUSHER_APP_KEY", "app-key-1",
        "SWITCHBOARD_PUSHER_APP_SECRET", "pusher-secret-0123456789",
        "SWITCHBOARD_PUSHER_APP_ENABLE_CLIENT_MESSAGES", "true"));

    assertThat(c.nodeName()).isEqualTo("node-7");
    assertThat(c.push().vapidPublicKey()).isEqualTo(VAPID_PUBLIC);
    assertThat(c.push().vapidPrivateKey()).isEqualTo(VAPID_PRIVATE);
    assertThat(c.push().vapidSubject()).isEqualTo("https://example.com/contact");
    assertThat(c.push().allowedEndpoints()).containsExactly("https://push.example", "https://*.push.example:8443");
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(8123);
    assertThat(c.http().allowedOrigins()).containsExactly("https://a.example", "https://b.example:8443");
    assertThat(c.http().allowedHosts()).containsExactly("chat.example.com", "[::1]:8000");
    assertThat(c.metricsToken()).isEqualTo("metrics-token-123");
    assertThat(c.dataDir()).isEqualTo("/tmp/sb");
    assertThat(c.postgres().url()).isEqualTo("postgresql://u:p@db:5432/sb");
    assertThat(c.token()).isEqualTo(new TokenConfig(SECRET, rsaPem.strip(), ecPem.strip(),
        "https://idp.example/.well-known/jwks.json", "", ""));
    assertThat(c.apiKey()).isEqualTo("api-key-123");
    assertThat(c.demo()).as("forced on despite an external PostgreSQL").isTrue();
    assertThat(c.cluster()).isEqualTo(new ClusterConfig(List.of("10.0.0.1:5701", "10.0.0.2:5702", "[fd00::3]:5703"),
        "", "10.0.0.1", 5801, 17101, "203.0.113.7", "sb-test", Duration.ofSeconds(1), Duration.ofSeconds(5)));
    assertThat(c.cluster().advertisedHost()).isEqualTo("203.0.113.7");
    assertThat(c.shutdown()).isEqualTo(new ShutdownConfig(Duration.ofSeconds(4), Duration.ofMinutes(1)));
    assertThat(c.webhooks().urls()).containsExactly("https://backend.example/hooks", "http://10.0.0.9:8080/h");
    assertThat(c.webhooks().secret()).isEqualTo("webhook-secret-0123456789");
    assertThat(c.proxy().maxInFlight()).isEqualTo(77);
    assertThat(c.proxy().maxWaiting()).isEqualTo(78);
    assertThat(c.proxy().httpPipelining()).isEqualTo(3);
    assertThat(c.pusher().apps()).containsExactly(
        new PusherConfig.App("app-1", "app-key-1", "pusher-secret-0123456789", true));
    // the table has exactly the variables above, plus SWITCHBOARD_CLUSTER_KUBERNETES_DNS (excludes members),
    // SWITCHBOARD_PUSH_SENDER_THREADS and the nine push.fcm/push.apns ones (MobilePushConfigTest)
    assertThat(ConfigLoader.ENV_OVERRIDES).hasSize(47);
    assertThat(ConfigLoader.ENV_OVERRIDES).extracting(ConfigLoader.EnvOverride::variable).doesNotHaveDuplicates();
  }

  // ---- clustering and shutdown -------------------------------------------------------------------------

  @Test
  void kubernetesDnsVariableTurnsClusteringOn() {
    SwitchboardConfig c = ConfigLoader.load(null, env(
        "SWITCHBOARD_CLUSTER_KUBERNETES_DNS", "switchboard-hazelcast.sb.svc.cluster.local",
        "SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb", "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
    assertThat(c.cluster().kubernetesServiceDns()).isEqualTo("switchboard-hazelcast.sb.svc.cluster.local");
    assertThat(c.cluster().members()).isEmpty();
    assertThat(c.cluster().enabled()).isTrue();
  }

  @Test
  void clusterAndShutdownFromTheFile() throws IOException {
    SwitchboardConfig c = ConfigLoader.load(yaml("""
        postgres:
          url: postgresql://u:p@db/sb
        token:
          hmac_secret: %s
        cluster:
          members: [node-a:5701, node-b:5701]
          heartbeat_interval: 2s
          max_no_heartbeat: 1m
        shutdown:
          drain_window: 0
          grace: 5s
        """.formatted(SECRET)), env());
    assertThat(c.cluster().members()).containsExactly("node-a:5701", "node-b:5701");
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.cluster().heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.cluster().maxNoHeartbeat()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.shutdown()).isEqualTo(new ShutdownConfig(Duration.ZERO, Duration.ofSeconds(5)));
    assertThat(c.demo()).isFalse();
  }

  @Test
  void clusteredNodeWithEmbeddedPostgresFails() throws IOException {
    for (Map<String, String> e : List.of(env("SWITCHBOARD_CLUSTER_MEMBERS", "10.0.0.1:5701"),
        env("SWITCHBOARD_CLUSTER_KUBERNETES_DNS", "sb-hz.default.svc.cluster.local"))) {
      assertThatThrownBy(() -> ConfigLoader.load(null, e))
          .isInstanceOfSatisfying(ConfigException.class, ex -> {
            assertThat(ex.key()).isEqualTo("postgres.url");
            assertThat(ex.getMessage()).isEqualTo("postgres.url: a clustered node needs an external PostgreSQL "
                + "(SWITCHBOARD_PG_URL): an embedded PostgreSQL belongs to one node");
          });
    }
    assertThatThrownBy(() -> ConfigLoader.load(yaml("cluster:\n  members: [10.0.0.1:5701]\n"), env()))
        .isInstanceOfSatisfying(ConfigException.class, ex -> assertThat(ex.key()).isEqualTo("postgres.url"));
  }

  @Test
  void membersAndKubernetesDnsAreMutuallyExclusive() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb",
        "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET, "SWITCHBOARD_CLUSTER_MEMBERS", "10.0.0.1:5701",
        "SWITCHBOARD_CLUSTER_KUBERNETES_DNS", "sb-hz.default.svc.cluster.local")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("cluster.kubernetes_service_dns");
          assertThat(e.getMessage()).contains("cluster.members", "not both");
        });
    // a file that sets one and an environment that sets the other collide too
    Path file = yaml("cluster:\n  kubernetes_service_dns: sb-hz.default.svc.cluster.local\n");
    assertThatThrownBy(() -> ConfigLoader.load(file, env("SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb",
        "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET, "SWITCHBOARD_CLUSTER_MEMBERS", "10.0.0.1:5701")))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.key()).isEqualTo("cluster.kubernetes_service_dns"));
  }

  @Test
  void demoTrueOnAClusterNeedsASharedSecret() {
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_DEMO", "true",
        "SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb", "SWITCHBOARD_CLUSTER_MEMBERS", "10.0.0.1:5701")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("demo");
          assertThat(e.getMessage()).contains("token.hmac_secret");
        });
    SwitchboardConfig c = ConfigLoader.load(null, env("SWITCHBOARD_DEMO", "true", "SWITCHBOARD_PG_URL",
        "postgresql://u:p@db/sb", "SWITCHBOARD_CLUSTER_MEMBERS", "10.0.0.1:5701",
        "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
    assertThat(c.demo()).isTrue();
    assertThat(c.token().hmacSecret()).isEqualTo(SECRET);
  }

  @Test
  void clusterPortsMustNotCollideWhenClustered() {
    Map<String, String> base = env("SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb",
        "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET, "SWITCHBOARD_CLUSTER_MEMBERS", "10.0.0.1:5701");
    Map<String, String> sameBus = new HashMap<>(base);
    sameBus.put("SWITCHBOARD_EVENTBUS_PORT", "5701");
    assertThatThrownBy(() -> ConfigLoader.load(null, sameBus))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("cluster.event_bus_port"));
    Map<String, String> httpClash = new HashMap<>(base);
    httpClash.put("SWITCHBOARD_HTTP_PORT", "5701");
    assertThatThrownBy(() -> ConfigLoader.load(null, httpClash))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("cluster.port"));
    // a single node never binds the cluster ports, so they may equal anything there
    assertThat(ConfigLoader.load(null, env("SWITCHBOARD_HTTP_PORT", "5701")).http().port()).isEqualTo(5701);
  }

  @Test
  void badClusterEnvValuesNameKeyAndVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_CLUSTER_PORT", "hz")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("cluster.port");
          assertThat(e.getMessage()).contains("SWITCHBOARD_CLUSTER_PORT");
        });
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_EVENTBUS_PORT", "bus")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("cluster.event_bus_port"));
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_DRAIN_WINDOW", "10")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("shutdown.drain_window"));
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_SHUTDOWN_GRACE", "5s")))
        .as("grace below the default drain window")
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("shutdown.grace"));
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_CLUSTER_MEMBERS", "10.0.0.1")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("cluster.members"));
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_CLUSTER_NAME", "a b")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("cluster.name"));
  }

  @Test
  void pushCanBeTurnedOffFromTheEnvironment() {
    Map<String, String> e = env("SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb", "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET,
        "SWITCHBOARD_PUSH_ENABLED", "false");
    assertThat(ConfigLoader.load(null, e).push().enabled()).isFalse(); // and no VAPID keys needed then
    e.put("SWITCHBOARD_PUSH_ENABLED", "maybe");
    assertThatThrownBy(() -> ConfigLoader.load(null, e))
        .isInstanceOfSatisfying(ConfigException.class, ex -> assertThat(ex.key()).isEqualTo("push.enabled"));
  }

  @Test
  void docsMentionEveryEnvVariableAndKey() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
    for (ConfigLoader.EnvOverride o : ConfigLoader.ENV_OVERRIDES) {
      assertThat(docs).contains("`" + o.variable() + "`").contains("`" + o.key() + "`");
    }
  }

  // ---- demo resolution ---------------------------------------------------------------------------------

  @Test
  void demoAutoIsOffWithExternalPostgres() {
    SwitchboardConfig c = ConfigLoader.load(null, env(
        "SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb", "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
    assertThat(c.demo()).isFalse();
    assertThat(c.token().hmacSecret()).isEqualTo(SECRET);
  }

  @Test
  void demoAutoIsOffWhenClustered() throws IOException {
    String pg = "postgresql://u:p@db/sb";
    for (Map<String, String> e : List.of(
        env("SWITCHBOARD_CLUSTER_MEMBERS", "10.0.0.1:5701,10.0.0.2:5701"),
        env("SWITCHBOARD_CLUSTER_KUBERNETES_DNS", "sb-hz.default.svc.cluster.local"))) {
      e.put("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET);
      e.put("SWITCHBOARD_PG_URL", pg);
      assertThat(ConfigLoader.load(null, e).demo()).as("%s", e).isFalse();
    }
    for (String cluster : List.of("members: [10.0.0.1:5701]", "kubernetes_service_dns: sb-hz.default.svc")) {
      Path file = yaml("cluster:\n  " + cluster + "\npostgres:\n  url: " + pg + "\n");
      assertThat(ConfigLoader.load(file, env("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET)).demo()).as(cluster).isFalse();
    }
  }

  @Test
  void demoAutoWithoutAnyKeyOutsideDemoFails() {
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("token");
          assertThat(e.getMessage()).contains("no token key configured", "token.hmac_secret",
              "token.jwks_url");
        });
  }

  @Test
  void demoFalseForcesProductionChecks() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(yaml("demo: false\n"), env()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("token"));
    SwitchboardConfig c = ConfigLoader.load(yaml("demo: false\n"),
        env("SWITCHBOARD_TOKEN_JWKS_URL", "http://127.0.0.1:1/jwks"));
    assertThat(c.demo()).isFalse();
    assertThat(c.token().hmacSecret()).as("no secret is generated outside demo").isEmpty();
  }

  @Test
  void demoTrueKeepsAConfiguredSecret() throws IOException {
    SwitchboardConfig c = ConfigLoader.load(yaml("demo: true\ntoken:\n  hmac_secret: " + SECRET + "\n"), env());
    assertThat(c.demo()).isTrue();
    assertThat(c.token().hmacSecret()).isEqualTo(SECRET);
  }

  @Test
  void productionYamlLoadsWithSecretsFromEnv() throws IOException {
    Path file = dir.resolve("production.yaml");
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream("production.yaml")) {
      assertThat(in).as("production.yaml is packed onto the classpath").isNotNull();
      Files.write(file, in.readAllBytes());
    }
    assertThatThrownBy(() -> ConfigLoader.load(file, env()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("token"));
    SwitchboardConfig c = ConfigLoader.load(file, env("SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET,
        "SWITCHBOARD_API_KEY", "k-12345678", "SWITCHBOARD_PG_URL", "postgresql://u:p@db/sb"));
    assertThat(c.demo()).isFalse();
    assertThat(c.http().allowedOrigins()).isNotEmpty();
    assertThat(c.channels().namespaces()).containsOnlyKeys("chat", "notify", "typing", "dm");
  }

  // ---- bad configurations ------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      typo in a section               | http:\\n  prot: 8080                                      | http.prot
      unknown top-level key           | htp:\\n  port: 1                                          | htp
      section of the wrong type       | http: 8000                                                 | http
      port not a number               | http:\\n  port: "8000"                                    | http.port
      port too large                  | http:\\n  port: 70000                                     | http.port
      port negative                   | http:\\n  port: -1                                        | http.port
      host empty                      | http:\\n  host: ""                                        | http.host
      origin with a path              | http:\\n  allowed_origins: [https://a.example/]           | http.allowed_origins
      origins not a list              | http:\\n  allowed_origins: https://a.example              | http.allowed_origins
      removed required key            | http:\\n  port: ~                                         | http.port
      negative limit                  | client:\\n  max_subscriptions: -5                         | client.max_subscriptions
      zero rate                       | client:\\n  command_rate: 0                               | client.command_rate
      bad duration                    | client:\\n  ping_interval: 25x                            | client.ping_interval
      duration as number              | client:\\n  ping_interval: 25                             | client.ping_interval
      zero ping                       | client:\\n  ping_interval: 0s                             | client.ping_interval
      pong not below ping             | client:\\n  pong_timeout: 30s                             | client.pong_timeout
      boolean of the wrong type       | client:\\n  allow_anonymous: "yes"                        | client.allow_anonymous
      bad regex                       | channels:\\n  namespaces:\\n    chat:\\n      channel_regex: "[a-" | channels.namespaces.chat.channel_regex
      bad namespace name              | channels:\\n  namespaces:\\n    "bad name":\\n      presence: true | channels.namespaces.bad name
      namespace option typo           | channels:\\n  namespaces:\\n    chat:\\n      presense: true | channels.namespaces.chat.presense
      defaults option typo            | channels:\\n  defaults:\\n    allow_subscribe: true       | channels.defaults.allow_subscribe
      negative history size           | channels:\\n  namespaces:\\n    chat:\\n      history_size: -1 | channels.namespaces.chat.history_size
      bad history ttl                 | channels:\\n  namespaces:\\n    chat:\\n      history_ttl: forever | channels.namespaces.chat.history_ttl
      recovery without history        | channels:\\n  namespaces:\\n    typing:\\n      force_recovery: true | channels.namespaces.typing.force_recovery
      namespace not a mapping         | channels:\\n  namespaces:\\n    chat: true                | channels.namespaces.chat
      personal namespace undefined    | channels:\\n  personal_namespace: inbox                   | channels.personal_namespace
      personal namespace removed      | channels:\\n  namespaces:\\n    notify: ~                 | channels.personal_namespace
      channel length out of range     | channels:\\n  max_length: 0                               | channels.max_length
      short api key                   | api:\\n  key: short                                       | api.key
      short hmac secret               | token:\\n  hmac_secret: tooshort                          | token.hmac_secret
      allowed host with a scheme      | http:\\n  allowed_hosts: ["https://chat.example.com"]    | http.allowed_hosts
      allowed host with a path        | http:\\n  allowed_hosts: ["chat.example.com/x"]          | http.allowed_hosts
      short metrics token             | metrics:\\n  bearer_token: short                         | metrics.bearer_token
      bad rsa pem                     | token:\\n  rsa_public_key: not-a-key                      | token.rsa_public_key
      bad ecdsa pem                   | token:\\n  ecdsa_public_key: "-----BEGIN PUBLIC KEY----- AAAA -----END PUBLIC KEY-----" | token.ecdsa_public_key
      jwks not http                   | token:\\n  jwks_url: ftp://idp.example/jwks               | token.jwks_url
      postgres url scheme             | postgres:\\n  url: mysql://db/sb                          | postgres.url
      zero pool                       | postgres:\\n  pool_size: 0                                | postgres.pool_size
      demo value                      | demo: maybe                                                | demo
      data dir empty                  | data_dir: ""                                               | data_dir
      not yaml                        | http: [unclosed                                            | --conf
      top level not a mapping         | - a\\n- b                                                  | --conf
      duplicate key                   | http:\\n  port: 1\\n  port: 2                             | --conf
      cluster key typo                | cluster:\\n  member: [a:1]                              | cluster.member
      member without a port           | cluster:\\n  members: [10.0.0.1]                        | cluster.members
      member port out of range        | cluster:\\n  members: ["10.0.0.1:70000"]                | cluster.members
      member port zero                | cluster:\\n  members: ["10.0.0.1:0"]                    | cluster.members
      member with a scheme            | cluster:\\n  members: ["tcp://10.0.0.1:5701"]           | cluster.members
      members not a list              | cluster:\\n  members: 10.0.0.1:5701                     | cluster.members
      dns not a name                  | cluster:\\n  kubernetes_service_dns: "http://x/y"       | cluster.kubernetes_service_dns
      cluster port zero               | cluster:\\n  port: 0                                    | cluster.port
      event bus port too large        | cluster:\\n  event_bus_port: 70000                      | cluster.event_bus_port
      cluster host with a space       | cluster:\\n  host: "10.0.0.1 "                          | cluster.host
      public host blank               | cluster:\\n  public_host: " "                           | cluster.public_host
      cluster name empty              | cluster:\\n  name: ""                                   | cluster.name
      heartbeat zero                  | cluster:\\n  heartbeat_interval: 0s                     | cluster.heartbeat_interval
      heartbeat not whole seconds     | cluster:\\n  heartbeat_interval: 1500ms                 | cluster.heartbeat_interval
      max no heartbeat not above      | cluster:\\n  max_no_heartbeat: 1s                       | cluster.max_no_heartbeat
      shutdown key typo               | shutdown:\\n  grace_period: 30s                         | shutdown.grace_period
      drain window not a duration     | shutdown:\\n  drain_window: soon                        | shutdown.drain_window
      grace equal to drain window     | shutdown:\\n  grace: 10s                                | shutdown.grace
      grace zero                      | shutdown:\\n  grace: 0                                  | shutdown.grace
      removed cluster section         | cluster: ~                                                 | cluster
      """)
  void badConfigFailsNamingTheKey(String what, String yaml, String key) throws IOException {
    Path file = yaml(yaml.replace("\\n", "\n"));
    assertThatThrownBy(() -> ConfigLoader.load(file, env()))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo(key);
          assertThat(e.getMessage()).startsWith(key + ": ");
        });
  }

  @Test
  void typoSuggestsTheKnownKey() throws IOException {
    assertThatThrownBy(() -> ConfigLoader.load(yaml("http:\n  prot: 8080\n"), env()))
        .hasMessageContaining("did you mean 'http.port'");
  }

  @Test
  void keyOfTheWrongAlgorithmIsRejected() throws Exception {
    var rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    String rsaPem = pem(rsa.generateKeyPair().getPublic());
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_TOKEN_ECDSA_PUBLIC_KEY", rsaPem)))
        .isInstanceOfSatisfying(ConfigException.class,
            e -> assertThat(e.key()).isEqualTo("token.ecdsa_public_key"));
  }

  @Test
  void badEnvValueNamesTheKeyAndVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_HTTP_PORT", "eighty")))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.key()).isEqualTo("http.port");
          assertThat(e.getMessage()).contains("SWITCHBOARD_HTTP_PORT");
        });
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_HTTP_PORT", "99999")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("http.port"));
    assertThatThrownBy(() -> ConfigLoader.load(null, env("SWITCHBOARD_DEMO", "sometimes")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("demo"));
  }

  @Test
  void missingConfFileFails() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml"), env()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("--conf"));
  }

  @Test
  void emptyConfFileMeansDefaults() throws IOException {
    assertThat(ConfigLoader.load(yaml(""), env()).http().port()).isEqualTo(8000);
  }
}
