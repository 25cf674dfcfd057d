package io.switchboard.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A scenario: what each connection does ({@link #plan}), and what the coordinating process does around it (an
 * API publisher, a node kill). {@link Runner} runs the phases: ramp, run, drain, report.
 */
public abstract class Scenario implements Callable<Integer> {
  @Mixin
  CommonOptions common = new CommonOptions();

  @Spec
  CommandSpec spec;

  /** Unique per run, so users and rooms of one run never meet those of another. */
  String runId;

  abstract String name();

  /** What connection {@code index} (0-based over the whole run) does. */
  abstract ConnPlan plan(int index);

  /** The scenario's own checks, added to the common ones. */
  List<String> scenarioProblems() {
    return List.of();
  }

  /** The scenario's parameters for the result file. */
  JsonObject params() {
    return new JsonObject();
  }

  /** The API publisher of the run phase, or null. Runs on the coordinator's event loop. */
  Publisher publisher(Vertx vertx, ApiClient api) {
    return null;
  }

  /** Whether the clients publish themselves (chat). */
  boolean clientsPublish() {
    return false;
  }

  Duration publishInterval() {
    return Duration.ofSeconds(1);
  }

  int payloadBytes() {
    return 100;
  }

  /** Scenario-specific results, put in the report under the scenario's name; null for none. */
  JsonObject extraReport(Runner.Merged merged) {
    return null;
  }

  /** Whether clients reconnect like the centrifuge SDKs (see {@link SimConnection#reconnectDelay}). */
  boolean sdkBackoff() {
    return false;
  }

  boolean reconnects() {
    return false;
  }

  /** Called once the run phase has started; may schedule actions (a kill, a drop) on {@code run}. */
  void duringRun(Runner.RunControl run) {}

  /** Durable channels whose final top must be read from the history API at the end. */
  Collection<String> channelsToQueryTop(LossReport loss) {
    return List.of();
  }

  /** Whether the scenario needs the server API. */
  boolean needsApi() {
    return false;
  }

  /** Scenario-specific parts of the result, given the merged outcome. */
  void addResults(JsonObject result) {}

  String user(int index) {
    return common.userPrefix + "-" + runId + "-" + index;
  }

  /** Payloads carry a send timestamp and a sequence number (60 bytes); clients cap messages near 64 KiB. */
  static void checkPayloadBytes(java.util.List<String> problems, int payloadBytes) {
    if (payloadBytes < 60 || payloadBytes > 60_000) {
      problems.add("--payload-bytes must be between 60 (timestamp and sequence number) and 60000");
    }
  }

  static String personal(String user) {
    return "notify:#" + user;
  }

  @Override
  public Integer call() {
    List<String> problems = new ArrayList<>(common.problems());
    problems.addAll(scenarioProblems());
    if (needsApi() && common.apis.isEmpty() && !common.isChild()) {
      problems.add("--api is required for " + name());
    }
    if (!problems.isEmpty()) {
      throw new ParameterException(spec.commandLine(), String.join("\n", problems));
    }
    runId = common.runId != null ? common.runId : Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    SimClock.setRun(runId);
    return new Runner(this).run();
  }
}
