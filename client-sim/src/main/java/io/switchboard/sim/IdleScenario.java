package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "idle", mixinStandardHelpOptions = true,
    description = "Hold N connections, each subscribed to its personal channel (server-side) and one chat room; "
        + "measure failures and, with --server-pids, server memory per connection.")
final class IdleScenario extends Scenario {
  @Option(names = "--room-size", paramLabel = "K", defaultValue = "50",
      description = "Members per room (default: ${DEFAULT-VALUE})")
  int roomSize;

  @Override
  String name() {
    return "idle";
  }

  @Override
  List<String> scenarioProblems() {
    return roomSize < 1 ? List.of("--room-size must be at least 1") : List.of();
  }

  @Override
  ConnPlan plan(int i) {
    String user = user(i);
    return new ConnPlan(user, List.of("chat:" + common.userPrefix + "-" + runId + "-idle-" + (i / roomSize)),
        common.raw ? null : personal(user), null, false);
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("room_size", roomSize);
  }
}
