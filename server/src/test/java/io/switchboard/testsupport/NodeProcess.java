package io.switchboard.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Switchboard server as a separate OS process ({@code java -jar server/target/switchboard-server.jar}),
 * for tests that need real separate nodes: clustering, crashes (kill -9), draining on SIGTERM. Its output
 * goes to {@code target/nodes/<name>.log}.
 */
public final class NodeProcess implements AutoCloseable {
  public final String name;
  public final int httpPort;
  private final Map<String, String> env;
  private Process process;
  private final Path log;
  private List<String> args = List.of();
  private List<String> jvmFlags = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  public NodeProcess(String name, int httpPort, Map<String, String> env) {
    this.name = name;
    this.httpPort = httpPort;
    this.env = new HashMap<>(env);
    this.log = Path.of("target", "nodes", name + ".log");
  }

  /** Command-line arguments for the server (e.g. {@code --conf PATH}); call before {@link #start}. */
  public NodeProcess withArgs(String... args) {
    this.args = List.of(args);
    return this;
  }

  /** JVM flags instead of the test defaults (small heap, C1 only): a benchmark runs the node as shipped. */
  public NodeProcess withJvmFlags(String... flags) {
    this.jvmFlags = List.of(flags);
    return this;
  }

  public static Path jar() {
    Path jar = Path.of("target", "switchboard-server.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn package` (integration tests run after it)");
    }
    return jar;
  }

  /** Starts the process (a fresh one if it ran before) and waits until /health/ready answers 200. */
  public NodeProcess start() throws Exception {
    Files.createDirectories(log.getParent());
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmFlags);
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    pb.environment().put("SWITCHBOARD_HTTP_PORT", Integer.toString(httpPort));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    awaitReady(Duration.ofSeconds(90));
    return this;
  }

  public void awaitReady(Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " not ready in " + timeout + "; see " + log.toAbsolutePath());
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + httpPort + "/connection/websocket";
  }

  public String apiUrl(String method) {
    return "http://127.0.0.1:" + httpPort + "/api/" + method;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  /** kill -9: no shutdown hook, no goodbye to the cluster. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM, then waits for the process to exit; returns its exit code. */
  public int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor();
      throw new IllegalStateException(name + " did not exit within " + timeout + " of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (alive()) {
      kill();
    }
  }
}
