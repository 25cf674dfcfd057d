package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A reconnect storm on one node: N clients in durable rooms while the API publishes; then the node is stopped
 * (SIGTERM, graceful, or SIGKILL) and whoever runs the benchmark starts it again on the same address. Every
 * client reconnects to it with centrifuge-js's backoff and recovers from its last offset. Reports when the node
 * was ready again and how long after that each client was back, subscribed, with what it missed.
 */
@Command(name = "storm", mixinStandardHelpOptions = true,
    description = "N clients in durable rooms; at --drop-after the server process --kill-pid gets --signal (term or "
        + "kill) and is restarted by the caller on the same address; clients reconnect with the SDK backoff and "
        + "recover. Reports the time from --ready-url answering 200 until every client is back.")
final class StormScenario extends ReconnectScenario {
  @Option(names = "--signal", paramLabel = "S", defaultValue = "term",
      description = "term (graceful restart) or kill (kill -9) (default: ${DEFAULT-VALUE})")
  String signal;

  @Option(names = "--ready-url", paramLabel = "URL", required = true,
      description = "The restarted node's readiness URL, e.g. http://127.0.0.1:8000/health/ready")
  URI readyUrl;

  private volatile long signalledMicros;
  private volatile long exitedMicros;
  private volatile long readyMicros;

  @Override
  String name() {
    return "storm";
  }

  @Override
  boolean sdkBackoff() {
    return true;
  }

  @Override
  List<String> scenarioProblems() {
    List<String> p = new ArrayList<>();
    if (!"term".equals(signal) && !"kill".equals(signal)) {
      p.add("--signal must be term or kill");
    }
    if (killPid == null && !common.isChild()) {
      p.add("--kill-pid is required: the server process to restart");
    }
    if (common.raw) {
      p.add("storm needs the protocol (recovery)");
    }
    if (dropAfter.compareTo(common.duration) >= 0) {
      p.add("--drop-after must be before the end of --duration");
    }
    return p;
  }

  @Override
  void duringRun(Runner.RunControl run) {
    long pid = killPid;
    run.at(dropAfter, "signal " + signal + " to server pid " + pid, () -> {
      signalledMicros = SimClock.nowMicros();
      ProcessHandle.of(pid).ifPresent(h -> {
        if ("kill".equals(signal)) {
          h.destroyForcibly();
        } else {
          h.destroy();
        }
        Thread.ofPlatform().daemon().name("storm-ready-watch").start(() -> watch(h));
      });
    });
  }

  /** Waits for the old process to exit, then polls the restarted node's readiness every 10 ms. */
  private void watch(ProcessHandle old) {
    try {
      old.onExit().get(120, TimeUnit.SECONDS);
      exitedMicros = SimClock.nowMicros();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
      HttpRequest req = HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(1)).build();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (System.nanoTime() < deadline) {
        try {
          if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            readyMicros = SimClock.nowMicros();
            System.err.println("client-sim: restarted node ready");
            return;
          }
        } catch (java.io.IOException e) {
          // not listening yet
        }
        Thread.sleep(10);
      }
    } catch (Exception e) {
      System.err.println("client-sim: storm watch: " + e);
    }
  }

  @Override
  JsonObject extraReport(Runner.Merged m) {
    JsonObject j = new JsonObject().put("signal", signal)
        .put("clients_back", m.backAt.getTotalCount());
    if (signalledMicros == 0) {
      return j;
    }
    long base = SimClock.runBaseMicros();
    j.put("exit_after_signal_ms", exitedMicros == 0 ? null : (exitedMicros - signalledMicros) / 1000);
    if (readyMicros == 0) {
      return j.put("ready", false);
    }
    long ready = readyMicros - base; // micros since the run's start, as the back-at histogram
    j.put("ready_after_signal_ms", (readyMicros - signalledMicros) / 1000);
    Histogram h = m.backAt;
    if (h.getTotalCount() > 0) {
      j.put("back_after_ready_ms", new JsonObject()
          .put("p50", afterReady(h.getValueAtPercentile(50), ready))
          .put("p99", afterReady(h.getValueAtPercentile(99), ready))
          .put("max", afterReady(h.getMaxValue(), ready))
          .put("min", afterReady(h.getMinValue(), ready)));
      // The node may take connections before its readiness URL answers 200 (min above is then negative): from
      // the first client back to the last is the storm as the node saw it.
      j.put("first_to_last_back_ms", afterReady(h.getMaxValue(), h.getMinValue()));
    }
    return j;
  }

  private static double afterReady(long backAtMicros, long readyMicros) {
    return Math.round((backAtMicros - readyMicros) / 100.0) / 10.0;
  }

  @Override
  JsonObject params() {
    return super.params().put("signal", signal).put("ready_url", readyUrl.toString());
  }
}
