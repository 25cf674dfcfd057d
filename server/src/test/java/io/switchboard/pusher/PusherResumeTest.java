package io.switchboard.pusher;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.SubscribeOutcome;
import io.switchboard.channel.NamespacePolicy;
import io.switchboard.config.ConfigLoader;
import io.switchboard.model.Publication;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The resume extension's request and answer, and the position header its events travel with. */
class PusherResumeTest {
  private final PusherChannels noNamespaces = new PusherChannels(new NamespacePolicy(
      ConfigLoader.load(null, Map.of("HOSTNAME", "h")).channels()));

  @Test
  void onlyTrueOrAPositionAsksForIt() {
    assertThat(PusherResume.of(true)).isEqualTo(new PusherResume(false, 0, ""));
    assertThat(PusherResume.of(new JsonObject().put("offset", 4).put("epoch", "e1")))
        .isEqualTo(new PusherResume(true, 4, "e1"));
    assertThat(PusherResume.of(null)).isNull();
    assertThat(PusherResume.of(false)).isNull();
    assertThat(PusherResume.of("yes")).isNull();
    assertThat(PusherResume.of(new JsonObject().put("offset", "4").put("epoch", "e1"))).isNull();
    assertThat(PusherResume.of(new JsonObject().put("offset", 4))).isNull();
  }

  @Test
  void aChannelWithoutHistoryRecoversNothingAndSaysSo() {
    var ns = noNamespaces.options("1", "news");
    PusherResume r = new PusherResume(true, 3, "e1");
    assertThat(r.request(ns)).isEqualTo(RecoveryRequest.NONE);
    String frame = new String(r.resumed("news", ns, new SubscribeOutcome(null, false, List.of(), null)),
        StandardCharsets.UTF_8);
    JsonObject data = new JsonObject(new JsonObject(frame).getString("data"));
    assertThat(data).isEqualTo(new JsonObject().put("recovered", false).put("reason", "the channel keeps no history"));
  }

  @Test
  void eventsWithAnOffsetCarryItInAHeaderThatPlainSessionsStrip() {
    Publication pub = new Publication("pusher_1:news", 12, "{\"a\":1}", null, Map.of("event", "e"));
    byte[] frame = PusherCodec.INSTANCE.publicationPush("pusher_1:news", pub);
    assertThat(frame[0]).isEqualTo(PusherCodec.POSITIONED);
    String text = new String(frame, StandardCharsets.UTF_8);
    assertThat(text).startsWith("\u000312\u0000news\u0000{");
    assertThat(new JsonObject(text.substring(text.indexOf('{'))))
        .isEqualTo(new JsonObject().put("event", "e").put("channel", "news").put("data", "{\"a\":1}"));
    // without an offset (no history), the frame is Pusher's JSON as is
    byte[] plain = PusherCodec.INSTANCE.publicationPush("pusher_1:news", pub.withOffset(0));
    assertThat(plain[0]).isEqualTo((byte) '{');
  }
}
