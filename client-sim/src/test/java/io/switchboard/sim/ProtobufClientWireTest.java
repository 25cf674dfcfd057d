package io.switchboard.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.switchboard.codec.protobuf.wire.Command;
import io.switchboard.codec.protobuf.wire.ConnectResult;
import io.switchboard.codec.protobuf.wire.Disconnect;
import io.switchboard.codec.protobuf.wire.Error;
import io.switchboard.codec.protobuf.wire.Join;
import io.switchboard.codec.protobuf.wire.Publication;
import io.switchboard.codec.protobuf.wire.PublishResult;
import io.switchboard.codec.protobuf.wire.Push;
import io.switchboard.codec.protobuf.wire.Reply;
import io.switchboard.codec.protobuf.wire.SubscribeResult;
import io.switchboard.codec.protobuf.wire.Unsubscribe;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtobufClientWireTest {
  private static final long TS = 1_732_550_000_123_456L;

  static List<Command> commands(Buffer message) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(message.getBytes());
    List<Command> out = new ArrayList<>();
    while (in.available() > 0) {
      out.add(Command.parseDelimitedFrom(in));
    }
    return out;
  }

  @Test
  void theHandshakeIsAConnectAndTheSubscriptionsInOneDelimitedMessage() throws IOException {
    ClientWire.Handshake h = new ClientWire.Handshake(1, "a.b.c",
        new ClientWire.SubscribeCmd(0, "notify:#u1", true, 5, "ep1"),
        List.of(new ClientWire.SubscribeCmd(2, "chat:r1", false, 0, ""),
            new ClientWire.SubscribeCmd(3, "chat:r2", true, 41, "ep2")));
    List<Command> cmds = commands(ProtobufClientWire.handshake(h));

    assertThat(cmds).hasSize(3);
    Command connect = cmds.get(0);
    assertThat(connect.getId()).isEqualTo(1);
    assertThat(connect.getConnect().getToken()).isEqualTo("a.b.c");
    assertThat(connect.getConnect().getName()).isEqualTo("client-sim");
    assertThat(connect.getConnect().getSubsMap()).containsOnlyKeys("notify:#u1");
    var personal = connect.getConnect().getSubsMap().get("notify:#u1");
    assertThat(personal.getRecover()).isTrue();
    assertThat(personal.getOffset()).isEqualTo(5);
    assertThat(personal.getEpoch()).isEqualTo("ep1");

    assertThat(cmds.get(1).getId()).isEqualTo(2);
    assertThat(cmds.get(1).hasConnect()).isFalse();
    assertThat(cmds.get(1).getSubscribe().getChannel()).isEqualTo("chat:r1");
    assertThat(cmds.get(1).getSubscribe().getRecover()).isFalse();
    assertThat(cmds.get(2).getSubscribe().getRecover()).isTrue();
    assertThat(cmds.get(2).getSubscribe().getOffset()).isEqualTo(41);
    assertThat(cmds.get(2).getSubscribe().getEpoch()).isEqualTo("ep2");
  }

  @Test
  void aFirstConnectHasNoRecoveryAndNoTokenWhenThereIsNone() throws IOException {
    List<Command> cmds = commands(ProtobufClientWire.handshake(new ClientWire.Handshake(7, null, null, List.of())));
    assertThat(cmds).hasSize(1);
    assertThat(cmds.get(0).getId()).isEqualTo(7);
    assertThat(cmds.get(0).getConnect().getToken()).isEmpty();
    assertThat(cmds.get(0).getConnect().getSubsCount()).isZero();
  }

  @Test
  void aPublishCarriesThePayloadsJsonBytesUnchanged() throws IOException {
    String payload = Wire.payload(TS, 42, 100);
    List<Command> cmds = commands(ProtobufClientWire.publish(9, "chat:r1", payload));
    assertThat(cmds).hasSize(1);
    assertThat(cmds.get(0).getId()).isEqualTo(9);
    assertThat(cmds.get(0).getPublish().getChannel()).isEqualTo("chat:r1");
    assertThat(cmds.get(0).getPublish().getData().toStringUtf8()).isEqualTo(payload);
    assertThat(new JsonObject(cmds.get(0).getPublish().getData().toStringUtf8()).getLong("sim_ts")).isEqualTo(TS);
  }

  @Test
  void thePongIsOneEmptyCommand() throws IOException {
    assertThat(ProtobufClientWire.pongMessage().getBytes()).containsExactly(0);
    assertThat(commands(ProtobufClientWire.pongMessage())).containsExactly(Command.getDefaultInstance());
  }

  /** The same traffic in both protocols: one message of replies and pushes, as the server joins them. */
  static Buffer protobufTraffic(String payload) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteString data = ByteString.copyFromUtf8(payload);
    Reply.getDefaultInstance().writeDelimitedTo(out); // ping
    push(out, Push.newBuilder().setChannel("news").setPub(Publication.newBuilder().setData(data)));
    push(out, Push.newBuilder().setChannel("chat:r1").setPub(Publication.newBuilder().setData(data).setOffset(9001)));
    push(out, Push.newBuilder().setChannel("chat:r1").setJoin(Join.getDefaultInstance()));
    push(out, Push.newBuilder().setChannel("chat:r1").setUnsubscribe(Unsubscribe.newBuilder().setCode(2000)));
    push(out, Push.newBuilder().setDisconnect(Disconnect.newBuilder().setCode(3001).setReason("shutdown")));
    Reply.newBuilder().setId(1).setConnect(ConnectResult.newBuilder().setClient("c").putSubs("notify:#u1",
        SubscribeResult.newBuilder().setRecoverable(true).setEpoch("ep").setOffset(12).setWasRecovering(true)
            .setRecovered(true).addPublications(Publication.newBuilder().setOffset(11))
            .addPublications(Publication.newBuilder().setOffset(12)).build())).build().writeDelimitedTo(out);
    Reply.newBuilder().setId(2).setError(Error.newBuilder().setCode(103).setMessage("permission denied")).build()
        .writeDelimitedTo(out);
    Reply.newBuilder().setId(3).setPublish(PublishResult.getDefaultInstance()).build().writeDelimitedTo(out);
    Reply.newBuilder().setId(4).setError(Error.newBuilder().setCode(108).setMessage("not available")).build()
        .writeDelimitedTo(out);
    Reply.newBuilder().setId(5).setSubscribe(SubscribeResult.newBuilder().setEpoch("e5").setOffset(3)).build()
        .writeDelimitedTo(out);
    Reply.getDefaultInstance().writeDelimitedTo(out); // a second ping, last in the message
    Reply.newBuilder().setId(99).setPublish(PublishResult.getDefaultInstance()).build().writeDelimitedTo(out);
    return Buffer.buffer(out.toByteArray());
  }

  static String jsonTraffic(String payload) {
    return String.join("\n", "{}",
        "{\"push\":{\"channel\":\"news\",\"pub\":{\"data\":" + payload + "}}}",
        "{\"push\":{\"channel\":\"chat:r1\",\"pub\":{\"data\":" + payload + ",\"offset\":9001}}}",
        "{\"push\":{\"channel\":\"chat:r1\",\"join\":{\"info\":{\"user\":\"u\",\"client\":\"c\"}}}}",
        "{\"push\":{\"channel\":\"chat:r1\",\"unsubscribe\":{\"code\":2000}}}",
        "{\"push\":{\"disconnect\":{\"code\":3001,\"reason\":\"shutdown\"}}}",
        "{\"id\":1,\"connect\":{\"client\":\"c\",\"subs\":{\"notify:#u1\":{\"recoverable\":true,\"epoch\":\"ep\","
            + "\"offset\":12,\"was_recovering\":true,\"recovered\":true,\"publications\":[{\"data\":{},\"offset\":11},"
            + "{\"data\":{},\"offset\":12}]}}}}",
        "{\"id\":2,\"error\":{\"code\":103,\"message\":\"permission denied\"}}",
        "{\"id\":3,\"publish\":{}}",
        "{\"id\":4,\"error\":{\"code\":108,\"message\":\"not available\"}}",
        "{\"id\":5,\"subscribe\":{\"epoch\":\"e5\",\"offset\":3}}",
        "{}",
        "{\"id\":99,\"publish\":{}}");
  }

  private static void push(ByteArrayOutputStream out, Push.Builder push) throws IOException {
    Reply.newBuilder().setPush(push).build().writeDelimitedTo(out);
  }

  static RecordingEvents expecting() {
    RecordingEvents e = new RecordingEvents();
    e.personal = "notify:#u1";
    e.pending.put(1L, new WireEvents.Pending(WireEvents.CONNECT, null, 0));
    e.pending.put(2L, new WireEvents.Pending(WireEvents.SUBSCRIBE, "chat:secret", 0));
    e.pending.put(3L, new WireEvents.Pending(WireEvents.PUBLISH, "chat:r1", 0));
    e.pending.put(4L, new WireEvents.Pending(WireEvents.PUBLISH, "chat:r1", 0));
    e.pending.put(5L, new WireEvents.Pending(WireEvents.SUBSCRIBE, "chat:r5", 0));
    return e;
  }

  static final List<String> EXPECTED = List.of(
      "ping",
      "pub news seq=42 ts=" + TS,
      "pub chat:r1 seq=9001 ts=" + TS,
      "push 0",
      "push 2",
      "push 1",
      "connected error=null personal=12/ep recovering=true recovered=true pubs=[11, 12]",
      "subscribed chat:secret error=103 result=null",
      "published error=null",
      "published error=108",
      "subscribed chat:r5 error=null result=3/e5 recovering=false recovered=false pubs=[]",
      "ping",
      "unknown reply 99");

  @Test
  void aDelimitedStreamOfRepliesPushesAndPingsBecomesTheEventsJsonGives() throws IOException {
    String payload = Wire.payload(TS, 42, 100);
    RecordingEvents pb = expecting();
    ProtobufClientWire.read(protobufTraffic(payload), pb);
    assertThat(pb.events).containsExactlyElementsOf(EXPECTED);

    RecordingEvents json = expecting();
    JsonClientWire.read(jsonTraffic(payload), json);
    assertThat(json.events).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void aMessageThatIsASliceOfABiggerBufferIsReadFromItsOwnBytes() throws IOException {
    byte[] traffic = protobufTraffic(Wire.payload(TS, 42, 100)).getBytes();
    Buffer bigger = Buffer.buffer().appendBytes(new byte[] {9, 9, 9, 9, 9}).appendBytes(traffic)
        .appendBytes(new byte[] {7, 7});
    RecordingEvents e = expecting();
    ProtobufClientWire.read(bigger.slice(5, 5 + traffic.length), e);
    assertThat(e.events).containsExactlyElementsOf(EXPECTED);
  }

  @Test
  void aTruncatedMessageIsReportedNotThrown() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Reply.getDefaultInstance().writeDelimitedTo(out);
    out.write(new byte[] {50, 8, 1, 34}); // says 50 bytes, holds 3
    RecordingEvents e = expecting();
    ProtobufClientWire.read(Buffer.buffer(out.toByteArray()), e);
    assertThat(e.events).containsExactly("ping", "unreadable");
  }

  @Test
  void theSendTimeAndSequenceAreReadFromTheDataBytes() {
    ByteString data = ByteString.copyFrom(Wire.payload(TS, 123, 200), StandardCharsets.UTF_8);
    assertThat(ProtobufClientWire.timestamp(data)).isEqualTo(TS);
    assertThat(ProtobufClientWire.sequence(data)).isEqualTo(123);
    ByteString other = ByteString.copyFromUtf8("{\"text\":\"hello\",\"sim_seq\":}");
    assertThat(ProtobufClientWire.timestamp(other)).isEqualTo(-1);
    assertThat(ProtobufClientWire.sequence(other)).isEqualTo(-1);
    assertThat(ProtobufClientWire.sequence(ByteString.EMPTY)).isEqualTo(-1);
  }
}
