package io.switchboard.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The flags every scenario takes. {@link #validate} turns bad values into one clear message. */
public final class CommonOptions {
  static final String DEFAULT_URL = "ws://127.0.0.1:8000/connection/websocket";

  @Option(names = "--url", paramLabel = "URL", description = "WebSocket endpoint, repeatable for several nodes "
      + "(connections are spread round-robin). Default: " + DEFAULT_URL)
  List<String> urls = new ArrayList<>();

  @Option(names = "--pin-first-url", description = "Open every connection on the first --url; reconnects go "
      + "round-robin to the others (to load one node, then kill it)")
  boolean pinFirstUrl;

  @Option(names = "--api", paramLabel = "URL", description = "Server API base, e.g. http://127.0.0.1:8000/api; "
      + "repeatable (the publisher moves to the next after a failure)")
  List<String> apis = new ArrayList<>();

  @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:SWITCHBOARD_API_KEY}",
      description = "X-API-Key for the server API (default: $SWITCHBOARD_API_KEY)")
  String apiKey;

  @Option(names = "--token-secret", paramLabel = "SECRET", defaultValue = "${env:SWITCHBOARD_TOKEN_HMAC_SECRET}",
      description = "HS256 secret to mint user tokens (default: $SWITCHBOARD_TOKEN_HMAC_SECRET)")
  String tokenSecret;

  @Option(names = {"-n", "--connections"}, paramLabel = "N", defaultValue = "1000",
      description = "Connections in total (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--duration", paramLabel = "TIME", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long the measured phase lasts once every connection is up (default: ${DEFAULT-VALUE})")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "TIME", defaultValue = "2s", converter = DurationConverter.class,
      description = "Publishing before the measured phase, excluded from latency and rates, not from loss checks "
          + "(default: ${DEFAULT-VALUE})")
  Duration warmup;

  @Option(names = "--json", paramLabel = "FILE", description = "Write the result as JSON here")
  Path json;

  @Option(names = "--html", paramLabel = "FILE", description = "Write the HTML report here (default: the --json "
      + "file with .html)")
  Path html;

  @Option(names = "--procs", paramLabel = "P", defaultValue = "1",
      description = "Client processes: forks P child JVMs that split the connections (default: ${DEFAULT-VALUE})")
  int procs;

  @Option(names = "--source-ips", paramLabel = "IP", split = ",",
      description = "Local addresses to connect from, round-robin per connection (127.0.0.2,127.0.0.3,...)")
  List<String> sourceIps = new ArrayList<>();

  @Option(names = "--server-pids", paramLabel = "PID", split = ",",
      description = "Server processes to sample CPU seconds and RSS of (with their child processes)")
  List<Long> serverPids = new ArrayList<>();

  @Option(names = "--event-loops", paramLabel = "L", description = "Event loops per process (default: cores)")
  int eventLoops = Runtime.getRuntime().availableProcessors();

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "500",
      description = "Handshakes in flight at once, in total (default: ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--connect-rate", paramLabel = "R", defaultValue = "0",
      description = "New connections per second in total, 0 = as fast as --concurrency allows (default: "
          + "${DEFAULT-VALUE})")
  double connectRate;

  @Option(names = "--connect-timeout", paramLabel = "TIME", defaultValue = "10s",
      converter = DurationConverter.class, description = "Per handshake (default: ${DEFAULT-VALUE})")
  Duration connectTimeout;

  @Option(names = "--ramp-timeout", paramLabel = "TIME", defaultValue = "180s",
      converter = DurationConverter.class, description = "Longest wait for every connection to be up "
          + "(default: ${DEFAULT-VALUE})")
  Duration rampTimeout;

  @Option(names = "--drain", paramLabel = "TIME", defaultValue = "2s", converter = DurationConverter.class,
      description = "Wait at least this long after the last publication for deliveries to arrive, then until "
          + "none arrived for a second and no client is reconnecting (default: ${DEFAULT-VALUE})")
  Duration drain;

  @Option(names = "--drain-max", paramLabel = "TIME", defaultValue = "60s", converter = DurationConverter.class,
      description = "Longest drain (default: ${DEFAULT-VALUE})")
  Duration drainMax;

  @Option(names = "--user-prefix", paramLabel = "P", defaultValue = "sim",
      description = "User ids are P-RUNID-INDEX (default: ${DEFAULT-VALUE})")
  String userPrefix;

  @Option(names = "--raw", description = "No protocol: count every text frame as a publication of the first "
      + "channel (for the plain Vert.x baseline server)")
  boolean raw;

  @Option(names = "--protocol", paramLabel = "P", defaultValue = "json", converter = Protocol.Converter.class,
      description = "Client protocol: json (text frames), protobuf (binary frames, ?cf_protocol=protobuf) or mixed "
          + "(every other connection Protobuf: half and half) or pusher (Pusher protocol 7, --url ws://HOST:PORT/app/KEY) "
          + "(default: ${DEFAULT-VALUE})")
  Protocol protocol = Protocol.JSON;

  @Option(names = "--child-jvm-opts", paramLabel = "OPTS", defaultValue = "-Xms256m -Xmx2g -XX:+UseParallelGC",
      description = "JVM options of the child processes (default: ${DEFAULT-VALUE})")
  String childJvmOpts;

  enum WsClient { vertx, lean }

  @Option(names = "--ws-client", paramLabel = "C", defaultValue = "vertx",
      description = "The WebSocket client: vertx (Vert.x's WebSocketClient) or lean (a fixed upgrade request and "
          + "frames read by hand over TCP: a fraction of the client CPU per connect, for storms) "
          + "(default: ${DEFAULT-VALUE})")
  WsClient wsClient;

  @Option(names = "--quiet", description = "No progress lines")
  boolean quiet;

  // Internal: set by the parent on its children.
  @Option(names = "--child-index", hidden = true, defaultValue = "-1")
  int childIndex;

  @Option(names = "--run-id", hidden = true)
  String runId;

  List<URI> urlList() {
    List<String> raw = urls.isEmpty() ? List.of(DEFAULT_URL) : urls;
    List<URI> out = new ArrayList<>();
    for (String u : raw) {
      out.add(URI.create(u));
    }
    return out;
  }

  List<URI> apiList() {
    List<URI> out = new ArrayList<>();
    for (String a : apis) {
      out.add(URI.create(a));
    }
    return out;
  }

  boolean isChild() {
    return childIndex >= 0;
  }

  /** The problems with these options, empty when they are fine. */
  List<String> problems() {
    List<String> p = new ArrayList<>();
    if (connections < 1 || connections > 1_000_000) {
      p.add("--connections must be between 1 and 1000000, was " + connections);
    }
    if (procs < 1 || procs > 64) {
      p.add("--procs must be between 1 and 64, was " + procs);
    } else if (procs > connections) {
      p.add("--procs (" + procs + ") cannot exceed --connections (" + connections + ")");
    }
    if (duration.isNegative()) {
      p.add("--duration must not be negative");
    }
    if (drain.isNegative() || drainMax.compareTo(drain) < 0) {
      p.add("--drain must not be negative, and --drain-max not shorter than --drain");
    }
    if (warmup.isNegative()) {
      p.add("--warmup must not be negative");
    }
    if (eventLoops < 1 || eventLoops > 64) {
      p.add("--event-loops must be between 1 and 64");
    }
    if (concurrency < 1) {
      p.add("--concurrency must be at least 1");
    }
    if (connectRate < 0) {
      p.add("--connect-rate must not be negative");
    }
    if (connectTimeout.isZero() || connectTimeout.isNegative()) {
      p.add("--connect-timeout must be positive");
    }
    for (String u : urls.isEmpty() ? List.of(DEFAULT_URL) : urls) {
      checkUrl(p, "--url", u, "ws");
    }
    for (String a : apis) {
      checkUrl(p, "--api", a, "http");
    }
    for (String ip : sourceIps) {
      if (!isLoopback(ip, true)) {
        p.add("--source-ips: " + ip + " is not an address of 127.0.0.0/8");
      }
    }
    for (long pid : serverPids) {
      if (pid <= 0 || !Files.exists(Path.of("/proc", Long.toString(pid)))) {
        p.add("--server-pids: no process " + pid);
      }
    }
    if (!raw && protocol != Protocol.PUSHER && (tokenSecret == null || tokenSecret.isEmpty())) {
      p.add("--token-secret (or $SWITCHBOARD_TOKEN_HMAC_SECRET) is required to mint user tokens");
    }
    if (raw && protocol != Protocol.JSON) {
      p.add("--raw has no protocol: leave --protocol at json");
    }
    if (!userPrefix.matches("[A-Za-z0-9_.-]{1,32}")) {
      p.add("--user-prefix must be 1 to 32 of [A-Za-z0-9_.-]");
    }
    long perProc = (connections + procs - 1L) / Math.max(1, procs);
    long limit = openFilesLimit();
    if (procs >= 1 && limit > 0 && perProc + 200 > limit) {
      p.add(perProc + " connections per process need more than the open-files limit of " + limit
          + ": raise it (ulimit -n) or use more --procs");
    }
    return p;
  }

  private static void checkUrl(List<String> p, String flag, String u, String scheme) {
    URI uri;
    try {
      uri = URI.create(u);
    } catch (IllegalArgumentException e) {
      p.add(flag + ": not a URL: " + u);
      return;
    }
    if (uri.getScheme() == null || !uri.getScheme().equals(scheme) || uri.getHost() == null) {
      p.add(flag + ": expected " + scheme + "://HOST:PORT/..., got " + u);
      return;
    }
    if (uri.getPort() <= 0) {
      p.add(flag + ": give the port explicitly in " + u);
    }
    if (!isLoopback(uri.getHost(), false)) {
      p.add(flag + ": " + uri.getHost() + " is not on this machine (only 127.0.0.0/8 and localhost are targets)");
    }
  }

  /** Only the loopback range is ever a target; names are resolved, literal addresses must be 127.x.y.z. */
  static boolean isLoopback(String host, boolean literalOnly) {
    if (host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
      for (String part : host.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }
    if (literalOnly) {
      return false;
    }
    if (!host.equals("localhost")) {
      return false;
    }
    try {
      for (InetAddress a : InetAddress.getAllByName(host)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The soft limit on open files of this process, or -1 if unknown. */
  static long openFilesLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String v = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return v.equals("unlimited") ? -1 : Long.parseLong(v);
        }
      }
    } catch (IOException | RuntimeException e) {
      // unknown
    }
    return -1;
  }
}
