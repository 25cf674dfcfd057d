package io.switchboard.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "fanout", mixinStandardHelpOptions = true,
    description = "N subscribers on one channel; the API publishes R publications per second of B bytes. Without "
        + "a namespace the channel is a public broadcast (no history): order and loss are checked by a sequence "
        + "number in each payload.")
final class FanoutScenario extends Scenario {
  @Option(names = "--rate", paramLabel = "R", defaultValue = "10",
      description = "Publications per second (default: ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--payload-bytes", paramLabel = "B", defaultValue = "100",
      description = "Size of each publication's data (default: ${DEFAULT-VALUE})")
  int payloadBytes;

  @Option(names = "--channel", paramLabel = "CH",
      description = "The channel (default: fanout-RUNID, a public broadcast channel)")
  String channel;

  @Option(names = "--pusher-app", paramLabel = "ID:KEY:SECRET",
      description = "With --protocol pusher: the app whose HTTP API (at the --api base, http://HOST:PORT) publishes "
          + "the events, signed with its secret")
  String pusherApp;

  @Option(names = "--pusher-publish", paramLabel = "VIA", defaultValue = "pusher",
      description = "With --protocol pusher: publish through the Pusher HTTP API (pusher: batches of at most 10, "
          + "Pusher's limit) or through Switchboard's server API onto the mapped channel pusher_ID:CH (api: "
          + "the same publisher as the Centrifugo runs) (default: ${DEFAULT-VALUE})")
  String pusherPublish;

  @Override
  String name() {
    return "fanout";
  }

  String channel() {
    return channel != null ? channel : "fanout-" + runId;
  }

  @Override
  List<String> scenarioProblems() {
    List<String> p = new ArrayList<>();
    if (rate <= 0 || rate > 100_000) {
      p.add("--rate must be above 0 and at most 100000");
    }
    checkPayloadBytes(p, payloadBytes);
    if (!pusherPublish.equals("pusher") && !pusherPublish.equals("api")) {
      p.add("--pusher-publish must be pusher or api");
    }
    if (common.protocol == Protocol.PUSHER) {
      try {
        PusherPublisher.App.parse(pusherApp);
      } catch (IllegalArgumentException e) {
        p.add(e.getMessage() + " with --protocol pusher");
      }
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
    return new ConnPlan(user(i), List.of(channel()), null, null, false);
  }

  @Override
  Publisher publisher(Vertx vertx, ApiClient api) {
    if (common.protocol == Protocol.PUSHER && pusherPublish.equals("api")) {
      return new SeqPublisher(vertx, api, "pusher_" + PusherPublisher.App.parse(pusherApp).id() + ":" + channel(),
          channel(), rate, payloadBytes);
    }
    if (common.protocol == Protocol.PUSHER) {
      return new PusherPublisher(vertx, common.apiList().get(0), PusherPublisher.App.parse(pusherApp), channel(), rate,
          payloadBytes);
    }
    return new SeqPublisher(vertx, api, channel(), rate, payloadBytes);
  }

  @Override
  JsonObject params() {
    return new JsonObject().put("rate", rate).put("payload_bytes", payloadBytes).put("channel", channel());
  }
}
