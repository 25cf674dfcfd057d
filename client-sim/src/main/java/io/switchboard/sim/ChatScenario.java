package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "chat", mixinStandardHelpOptions = true,
    description = "Rooms of K members (durable chat: channels); every member publishes every T through client "
        + "publish. Reports acknowledged publications/s, ack latency, delivery latency and losses by offset.")
final class ChatScenario extends Scenario {
  @Option(names = "--room-size", paramLabel = "K", defaultValue = "50",
      description = "Members per room (default: ${DEFAULT-VALUE})")
  int roomSize;

  @Option(names = {"--publish-interval", "--interval"}, paramLabel = "T", defaultValue = "1s",
      converter = DurationConverter.class, description = "Each member publishes once per T (default: ${DEFAULT-VALUE})")
  Duration interval;

  @Option(names = "--payload-bytes", paramLabel = "B", defaultValue = "100",
      description = "Size of each publication's data (default: ${DEFAULT-VALUE})")
  int payloadBytes;

  @Override
  String name() {
    return "chat";
  }

  @Override
  List<String> scenarioProblems() {
    List<String> p = new ArrayList<>();
    if (roomSize < 1) {
      p.add("--room-size must be at least 1");
    }
    if (interval.toMillis() < 10) {
      p.add("--publish-interval must be at least 10ms (the server limits commands per connection)");
    }
    checkPayloadBytes(p, payloadBytes);
    if (common.raw) {
      p.add("chat needs the protocol: --raw is for fanout against the baseline server");
    }
    return p;
  }

  String room(int i) {
    return "chat:" + common.userPrefix + "-" + runId + "-room-" + (i / roomSize);
  }

  @Override
  ConnPlan plan(int i) {
    String room = room(i);
    return new ConnPlan(user(i), List.of(room), null, room, true); // like the SDKs: reconnect and recover
  }

  @Override
  boolean clientsPublish() {
    return true;
  }

  @Override
  Duration publishInterval() {
    return interval;
  }

  @Override
  int payloadBytes() {
    return payloadBytes;
  }

  @Override
  boolean reconnects() {
    return true;
  }

  @Override
  Collection<String> channelsToQueryTop(LossReport loss) {
    return loss.channels().keySet();
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("room_size", roomSize).put("publish_interval_ms", interval.toMillis())
        .put("payload_bytes", payloadBytes);
  }
}
