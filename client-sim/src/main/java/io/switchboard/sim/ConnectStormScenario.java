package io.switchboard.sim;

import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "connect-storm", mixinStandardHelpOptions = true,
    description = "Open N connections as fast as --concurrency (and --connect-rate) allow: WebSocket handshake plus "
        + "connect with a freshly minted JWT. Reports handshakes/s and handshake latency; holds them --duration.")
final class ConnectStormScenario extends Scenario {
  @Override
  String name() {
    return "connect-storm";
  }

  @Override
  ConnPlan plan(int i) {
    return new ConnPlan(user(i), common.raw ? List.of("raw") : List.of(), null, null, false);
  }
}
