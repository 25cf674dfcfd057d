package io.switchboard.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "notify", mixinStandardHelpOptions = true,
    description = "Bulk notifications through the API (broadcast) to the personal channels (notify:#user) of M "
        + "connected users, R notifications per second in total; checked per user by offset.")
final class NotifyScenario extends Scenario {
  @Option(names = "--users", paramLabel = "M", description = "Users notified (default: every connection)")
  Integer users;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "1000",
      description = "Notifications per second in total (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "100",
      description = "Channels per broadcast call (default: ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--in-flight", paramLabel = "F", defaultValue = "8",
      description = "API calls in flight at most (default: ${DEFAULT-VALUE})")
  int inFlight;

  @Option(names = "--payload-bytes", paramLabel = "B", defaultValue = "100",
      description = "Size of each notification's data (default: ${DEFAULT-VALUE})")
  int payloadBytes;

  @Override
  String name() {
    return "notify";
  }

  int users() {
    return users == null ? common.connections : users;
  }

  @Override
  List<String> scenarioProblems() {
    List<String> p = new ArrayList<>();
    if (users() < 1 || users() > common.connections) {
      p.add("--users must be between 1 and --connections (" + common.connections + ")");
    }
    if (rate <= 0 || rate > 1_000_000) {
      p.add("--rate must be above 0 and at most 1000000");
    }
    if (batch < 1 || batch > 10_000) {
      p.add("--batch must be between 1 and 10000");
    }
    if (inFlight < 1 || inFlight > 256) {
      p.add("--in-flight must be between 1 and 256");
    }
    checkPayloadBytes(p, payloadBytes);
    if (common.raw) {
      p.add("notify needs the protocol (personal channels): --raw is for fanout against the baseline server");
    }
    return p;
  }

  @Override
  boolean needsApi() {
    return true;
  }

  @Override
  int payloadBytes() {
    return payloadBytes;
  }

  @Override
  ConnPlan plan(int i) {
    String user = user(i);
    return new ConnPlan(user, List.of(), i < users() ? personal(user) : null, null, false);
  }

  @Override
  Publisher publisher(Vertx vertx, ApiClient api) {
    List<String> channels = new ArrayList<>();
    for (int i = 0; i < users(); i++) {
      channels.add(personal(user(i)));
    }
    return new ChannelsPublisher(vertx, api, channels, rate, batch, inFlight, payloadBytes);
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("users", users()).put("rate", rate).put("batch", batch).put("in_flight", inFlight)
        .put("payload_bytes", payloadBytes);
  }
}
