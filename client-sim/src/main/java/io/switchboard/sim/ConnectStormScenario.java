package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "connect-storm", mixinStandardHelpOptions = true,
    description = "Open N connections as fast as --concurrency (and --connect-rate) allow: WebSocket handshake plus "
        + "connect with a freshly minted JWT. Reports handshakes/s and handshake latency; holds them --duration.")
final class ConnectStormScenario extends Scenario {
  @Option(names = "--room-size", paramLabel = "K", defaultValue = "0",
      description = "Also subscribe each client to one chat: room of K members (0, the default: no subscription)")
  int roomSize;

  @Override
  String name() {
    return "connect-storm";
  }

  @Override
  ConnPlan plan(int i) {
    if (common.raw) {
      return new ConnPlan(user(i), List.of("raw"), null, null, false);
    }
    return new ConnPlan(user(i), roomSize < 1 ? List.of()
        : List.of("chat:" + common.userPrefix + "-" + runId + "-storm-" + (i / roomSize)), null, null, false);
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("room_size", roomSize);
  }
}
