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

  private static Map<String, String> env(String... kv) {
    Map<String, String> env = new HashMap<>();
    env.put("HOSTNAME", "test-host");
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

  // ---- defaults ---------------------------------------------------------------------------------------

  @Test
  void defaultsLoadAndMatchTheYaml() {
    SwitchboardConfig c = ConfigLoader.load(null, env());

    assertThat(c.nodeName()).isEqualTo("test-host");
    assertThat(c.http()).isEqualTo(new HttpConfig("0.0.0.0", 8000, List.of(), 1048576));
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
        true, true, false, true, false, true, false, true, false, false, null));
    NamespaceOptions notify = ch.namespace("notify");
    assertThat(notify.allowUserLimitedChannels()).isTrue();
    assertThat(notify.allowSubscribeForClient()).isFalse();
    assertThat(notify.history()).isTrue();
    NamespaceOptions dm = ch.namespace("dm");
    assertThat(dm.presence()).isTrue();
    assertThat(dm.forcePushJoinLeave()).isFalse();
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
        "SWITCHBOARD_DATA_DIR", "/tmp/sb",
        "SWITCHBOARD_PG_URL", "postgresql://u:p@db:5432/sb",
        "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET,
        "SWITCHBOARD_TOKEN_RSA_PUBLIC_KEY", rsaPem,
        "SWITCHBOARD_TOKEN_ECDSA_PUBLIC_KEY", ecPem,
        "SWITCHBOARD_TOKEN_JWKS_URL", "https://idp.example/.well-known/jwks.json",
        "SWITCHBOARD_API_KEY", "api-key-123",
        "SWITCHBOARD_DEMO", "TRUE"));

    assertThat(c.nodeName()).isEqualTo("node-7");
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(8123);
    assertThat(c.http().allowedOrigins()).containsExactly("https://a.example", "https://b.example:8443");
    assertThat(c.dataDir()).isEqualTo("/tmp/sb");
    assertThat(c.postgres().url()).isEqualTo("postgresql://u:p@db:5432/sb");
    assertThat(c.token()).isEqualTo(new TokenConfig(SECRET, rsaPem.strip(), ecPem.strip(),
        "https://idp.example/.well-known/jwks.json", "", ""));
    assertThat(c.apiKey()).isEqualTo("api-key-123");
    assertThat(c.demo()).as("forced on despite an external PostgreSQL").isTrue();
    // the table has exactly the variables above
    assertThat(ConfigLoader.ENV_OVERRIDES).hasSize(12);
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
  void demoAutoIsOffWhenClustered() {
    SwitchboardConfig c = ConfigLoader.load(null, env(
        ConfigLoader.CLUSTER_MEMBERS_ENV, "10.0.0.1,10.0.0.2", "SWITCHBOARD_TOKEN_HMAC_SECRET", SECRET));
    assertThat(c.demo()).isFalse();
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
