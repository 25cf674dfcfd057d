package io.switchboard.codec.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.switchboard.codec.BadMessageException;
import io.switchboard.codec.protobuf.wire.Command;
import io.switchboard.codec.protobuf.wire.ConnectRequest;
import io.switchboard.codec.protobuf.wire.HistoryRequest;
import io.switchboard.codec.protobuf.wire.PingRequest;
import io.switchboard.codec.protobuf.wire.PublishRequest;
import io.switchboard.codec.protobuf.wire.RPCRequest;
import io.switchboard.codec.protobuf.wire.Reply;
import io.switchboard.codec.protobuf.wire.StreamPosition;
import io.switchboard.codec.protobuf.wire.SubscribeRequest;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientCommand.Kind;
import io.switchboard.protocol.ConnectResult;
import io.switchboard.protocol.HistoryResult;
import io.switchboard.protocol.PresenceResult;
import io.switchboard.protocol.PublishResult;
import io.switchboard.protocol.ReplyError;
import io.switchboard.protocol.RpcResult;
import io.switchboard.protocol.SubscribeResult;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Protobuf codec against the classes generated from client.proto: what a real SDK sends and reads. */
class ProtobufCodecTest {
  private static final ProtobufCodec CODEC = ProtobufCodec.INSTANCE;

  /** Commands as an SDK writes them: each delimited, back to back. */
  private static Buffer stream(Command... commands) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Command c : commands) {
      c.writeDelimitedTo(out);
    }
    return Buffer.buffer(out.toByteArray());
  }

  /** Replies as an SDK reads them from one message. */
  private static List<Reply> replies(byte[] message) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(message);
    List<Reply> out = new ArrayList<>();
    Reply r;
    while ((r = Reply.parseDelimitedFrom(in)) != null) {
      out.add(r);
    }
    return out;
  }

  private static Reply reply(byte[] frame) throws IOException {
    List<Reply> all = replies(frame);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static byte[] bytes(ByteBuf buf) {
    byte[] out = new byte[buf.readableBytes()];
    buf.readBytes(out);
    return out;
  }

  @Test
  void decodesTheCommandsOfAMessageInOrder() throws IOException {
    Command connect = Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder().setToken("tok")
        .setData(ByteString.copyFromUtf8("{\"a\":1}")).setName("java")
        .putSubs("notify:#u", SubscribeRequest.newBuilder().setRecover(true).setOffset(7).setEpoch("e1").build()))
        .build();
    Command subscribe = Command.newBuilder().setId(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("chat:a")
        .setRecover(true).setOffset(3).setEpoch("ep").setRecoverable(true).setPositioned(true).setJoinLeave(true))
        .build();
    byte[] binary = {0, 1, 2, (byte) 0xff};
    Command publish = Command.newBuilder().setId(3).setPublish(PublishRequest.newBuilder().setChannel("chat:a")
        .setData(ByteString.copyFrom(binary))).build();
    Command history = Command.newBuilder().setId(4).setHistory(HistoryRequest.newBuilder().setChannel("chat:a")
        .setLimit(-1).setReverse(true).setSince(StreamPosition.newBuilder().setOffset(4))).build();

    List<ClientCommand> cmds = CODEC.decode(stream(connect, subscribe, publish, history));
    assertThat(cmds).extracting(ClientCommand::id).containsExactly(1L, 2L, 3L, 4L);
    assertThat(cmds).extracting(ClientCommand::method).containsExactly("connect", "subscribe", "publish", "history");

    var c = (io.switchboard.protocol.ConnectRequest) cmds.get(0).request();
    assertThat(c.token()).isEqualTo("tok");
    assertThat(new String(c.data(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    assertThat(c.subs().get("notify:#u")).usingRecursiveComparison()
        .isEqualTo(io.switchboard.protocol.SubscribeRequest.recovery(true, 7, "e1"));
    assertThat(cmds.get(1).request()).isEqualTo(
        new io.switchboard.protocol.SubscribeRequest("chat:a", null, true, "ep", 3, true, true, true));
    var p = (io.switchboard.protocol.PublishRequest) cmds.get(2).request();
    assertThat(p.channel()).isEqualTo("chat:a");
    assertThat(p.data()).isEqualTo(binary);
    assertThat(cmds.get(3).request()).isEqualTo(new io.switchboard.protocol.HistoryRequest("chat:a", -1,
        new io.switchboard.model.StreamPosition(4, null), true));
  }

  @Test
  void anEmptyCommandIsThePongAndCommandsWithoutARequestAreUnknownMethods() throws IOException {
    assertThat(CODEC.decode(stream(Command.getDefaultInstance()))).containsExactly(ClientCommand.PONG);
    assertThat(CODEC.decode(Buffer.buffer())).isEmpty();
    ClientCommand noMethod = CODEC.decode(stream(Command.newBuilder().setId(9).build())).get(0);
    assertThat(noMethod.kind()).isEqualTo(Kind.UNKNOWN_METHOD);
    assertThat(noMethod.id()).isEqualTo(9);
    // The legacy ping request is no method of protocol v2, as in JSON.
    ClientCommand ping = CODEC.decode(stream(Command.newBuilder().setPing(PingRequest.getDefaultInstance()).build()))
        .get(0);
    assertThat(ping.kind()).isEqualTo(Kind.UNKNOWN_METHOD);
    assertThat(ping.id()).isZero();
  }

  @Test
  void severalRequestsInOneCommandTakeTheFirstInProtocolOrder() throws IOException {
    Command both = Command.newBuilder().setId(5)
        .setPublish(PublishRequest.newBuilder().setChannel("b").setData(ByteString.copyFromUtf8("1")))
        .setSubscribe(SubscribeRequest.newBuilder().setChannel("a")).build();
    assertThat(CODEC.decode(stream(both)).get(0).method()).isEqualTo("subscribe");
  }

  @Test
  void missingRequiredFieldsAre107WithTheJsonDecodersWords() throws IOException {
    ClientCommand noChannel = CODEC.decode(stream(Command.newBuilder().setId(1)
        .setPublish(PublishRequest.newBuilder().setData(ByteString.copyFromUtf8("1"))).build())).get(0);
    assertThat(noChannel.request()).isNull();
    assertThat(noChannel.decodeFailure().detail()).isEqualTo("channel required");
    ClientCommand noData = CODEC.decode(stream(Command.newBuilder().setId(1)
        .setPublish(PublishRequest.newBuilder().setChannel("a")).build())).get(0);
    assertThat(noData.decodeFailure().detail()).isEqualTo("data required");
    ClientCommand subRefresh = CODEC.decode(stream(Command.newBuilder().setId(2).setSubRefresh(
        io.switchboard.codec.protobuf.wire.SubRefreshRequest.newBuilder().setChannel("$c").setToken("t")).build()))
        .get(0);
    assertThat(subRefresh.request()).isEqualTo(new io.switchboard.protocol.SubRefreshRequest("$c", "t"));
    ClientCommand noToken = CODEC.decode(stream(Command.newBuilder().setId(3).setRefresh(
        io.switchboard.codec.protobuf.wire.RefreshRequest.getDefaultInstance()).build())).get(0);
    assertThat(noToken.decodeFailure().detail()).isEqualTo("token required");
    ClientCommand rpc = CODEC.decode(stream(Command.newBuilder().setId(1)
        .setRpc(RPCRequest.newBuilder().setMethod("unread")).build())).get(0);
    assertThat(rpc.request()).usingRecursiveComparison().isEqualTo(new io.switchboard.protocol.RpcRequest("unread", null));
  }

  @Test
  void truncatedOrGarbageMessagesAndTextAreUnreadable() throws IOException {
    byte[] whole = stream(Command.newBuilder().setId(1).setSubscribe(SubscribeRequest.newBuilder()
        .setChannel("chat:a")).build()).getBytes();
    for (int cut = 1; cut < whole.length; cut++) {
      byte[] part = java.util.Arrays.copyOf(whole, cut);
      assertThatThrownBy(() -> CODEC.decode(Buffer.buffer(part))).isInstanceOf(BadMessageException.class);
    }
    assertThatThrownBy(() -> CODEC.decode(Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})))
        .isInstanceOf(BadMessageException.class);
    assertThatThrownBy(() -> CODEC.decode(Buffer.buffer("{\"id\":1,\"connect\":{}}")))
        .isInstanceOf(BadMessageException.class);
    assertThatThrownBy(() -> CODEC.decode("{}")).isInstanceOf(BadMessageException.class);
  }

  @Test
  void repliesCarryTheirResultMessageEvenWhenEmpty() throws IOException {
    Reply publish = reply(CODEC.reply(7, "publish", PublishResult.INSTANCE));
    assertThat(publish.getId()).isEqualTo(7);
    assertThat(publish.hasPublish()).isTrue();
    Reply rpc = reply(CODEC.reply(8, "rpc", new RpcResult(null)));
    assertThat(rpc.hasRpc()).isTrue();
    assertThat(rpc.getRpc().getData().isEmpty()).isTrue();
    Reply rpcData = reply(CODEC.reply(8, "rpc", new RpcResult("{\"n\":1}".getBytes(StandardCharsets.UTF_8))));
    assertThat(rpcData.getRpc().getData().toStringUtf8()).isEqualTo("{\"n\":1}");
    var refresh = reply(CODEC.reply(10, "refresh", new io.switchboard.protocol.RefreshResult("cid", "1.0", true, 30)))
        .getRefresh();
    assertThat(refresh.getClient()).isEqualTo("cid");
    assertThat(refresh.getExpires()).isTrue();
    assertThat(refresh.getTtl()).isEqualTo(30);
    var subRefresh = reply(CODEC.reply(11, "sub_refresh", new io.switchboard.protocol.SubRefreshResult(true, 40)));
    assertThat(subRefresh.getSubRefresh().getTtl()).isEqualTo(40);
    var stats = reply(CODEC.reply(12, "presence_stats", new io.switchboard.protocol.PresenceStatsResult(3, 2)));
    assertThat(stats.getPresenceStats().getNumClients()).isEqualTo(3);
    assertThat(stats.getPresenceStats().getNumUsers()).isEqualTo(2);
    assertThat(reply(CODEC.reply(13, "unsubscribe", io.switchboard.protocol.UnsubscribeResult.INSTANCE)).hasUnsubscribe())
        .isTrue();
    Reply err = reply(CODEC.error(9, new ReplyError(111, "too many requests", true)));
    assertThat(err.getError().getCode()).isEqualTo(111);
    assertThat(err.getError().getMessage()).isEqualTo("too many requests");
    assertThat(err.getError().getTemporary()).isTrue();
  }

  @Test
  void connectAndSubscribeResultsFieldForField() throws IOException {
    Publication recovered = new Publication("chat:a", 5, "{\"t\":1}", new ClientInfo("u", "c1", "{\"n\":1}", null),
        Map.of("k", "v"));
    SubscribeResult sub = new SubscribeResult(true, 60, true, "ep", List.of(recovered), true, 4, true, true);
    Map<String, SubscribeResult> subs = new LinkedHashMap<>();
    subs.put("notify:#u", sub);
    Reply r = reply(CODEC.reply(1, "connect", new ConnectResult("cid", "1.0", false, 0, subs, 25, true)));
    var c = r.getConnect();
    assertThat(c.getClient()).isEqualTo("cid");
    assertThat(c.getVersion()).isEqualTo("1.0");
    assertThat(c.getPing()).isEqualTo(25);
    assertThat(c.getPong()).isTrue();
    assertThat(c.getExpires()).isFalse();
    var s = c.getSubsOrThrow("notify:#u");
    assertThat(s.getExpires()).isTrue();
    assertThat(s.getTtl()).isEqualTo(60);
    assertThat(s.getRecoverable()).isTrue();
    assertThat(s.getPositioned()).isTrue();
    assertThat(s.getEpoch()).isEqualTo("ep");
    assertThat(s.getRecovered()).isTrue();
    assertThat(s.getWasRecovering()).isTrue();
    assertThat(s.getOffset()).isEqualTo(4);
    var p = s.getPublications(0);
    assertThat(p.getOffset()).isEqualTo(5);
    assertThat(p.getData().toStringUtf8()).isEqualTo("{\"t\":1}");
    assertThat(p.getInfo().getUser()).isEqualTo("u");
    assertThat(p.getInfo().getConnInfo().toStringUtf8()).isEqualTo("{\"n\":1}");
    assertThat(p.getTagsMap()).isEqualTo(Map.of("k", "v"));
    assertThat(reply(CODEC.reply(2, "subscribe", SubscribeResult.EMPTY)).hasSubscribe()).isTrue();
    assertThat(c.getSession()).isEmpty();
  }

  @Test
  void anEmulatedSessionsConnectResultNamesItsSessionAndNode() throws IOException {
    ConnectResult emulated = new ConnectResult("cid", "1.0", false, 0, null, 25, true).withSession("s-1", "n-1");
    var c = reply(CODEC.reply(1, "connect", emulated)).getConnect();
    assertThat(c.getSession()).isEqualTo("s-1");
    assertThat(c.getNode()).isEqualTo("n-1");
  }

  @Test
  void presenceAndHistory() throws IOException {
    Reply presence = reply(CODEC.reply(3, "presence",
        new PresenceResult(Map.of("c1", new ClientInfo("alice", "c1", null, "{\"r\":2}")))));
    assertThat(presence.getPresence().getPresenceOrThrow("c1").getUser()).isEqualTo("alice");
    assertThat(presence.getPresence().getPresenceOrThrow("c1").getChanInfo().toStringUtf8()).isEqualTo("{\"r\":2}");
    byte[] raw = new byte[256];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = (byte) i;
    }
    Reply history = reply(CODEC.reply(4, "history", new HistoryResult(
        List.of(new Publication("bin:a", 1, raw, false, null, Map.of())), "ep", 1)));
    assertThat(history.getHistory().getPublications(0).getData().toByteArray()).isEqualTo(raw);
    assertThat(history.getHistory().getEpoch()).isEqualTo("ep");
    assertThat(history.getHistory().getOffset()).isEqualTo(1);
  }

  @Test
  void pushesAreRepliesWithoutAnId() throws IOException {
    byte[] raw = {0, (byte) 0x80, '\n', (byte) 0xff};
    Reply pub = reply(CODEC.publicationPush("bin:a", new Publication("bin:a", 3, raw, false,
        new ClientInfo("u", "c", null, null), Map.of())));
    assertThat(pub.getId()).isZero();
    assertThat(pub.getPush().getChannel()).isEqualTo("bin:a");
    assertThat(pub.getPush().getPub().getData().toByteArray()).isEqualTo(raw);
    assertThat(pub.getPush().getPub().getOffset()).isEqualTo(3);
    ClientInfo who = new ClientInfo("bob", "c2", null, null);
    assertThat(reply(CODEC.joinPush("ch", who)).getPush().getJoin().getInfo().getClient()).isEqualTo("c2");
    assertThat(reply(CODEC.leavePush("ch", who)).getPush().getLeave().getInfo().getUser()).isEqualTo("bob");
    var unsub = reply(CODEC.unsubscribePush("ch", 2500, "insufficient state")).getPush();
    assertThat(unsub.getUnsubscribe().getCode()).isEqualTo(2500);
    assertThat(unsub.getUnsubscribe().getReason()).isEqualTo("insufficient state");
    var msg = reply(CODEC.messagePush("{\"type\":\"read\"}".getBytes(StandardCharsets.UTF_8), true)).getPush();
    assertThat(msg.getMessage().getData().toStringUtf8()).isEqualTo("{\"type\":\"read\"}");
    var dis = reply(CODEC.disconnectPush(3001, "shutdown", true)).getPush().getDisconnect();
    assertThat(dis.getCode()).isEqualTo(3001);
    assertThat(dis.getReconnect()).isTrue();
  }

  @Test
  void aServerSideSubscribePushIsFollowedByTheRecoveredPublications() throws IOException {
    List<Publication> pubs = List.of(new Publication("notify:#u", 3, "{\"n\":3}", null, Map.of()),
        new Publication("notify:#u", 4, "{\"n\":4}", null, Map.of()));
    List<Reply> out = replies(CODEC.subscribePush("notify:#u",
        new SubscribeResult(false, 0, true, "ep", pubs, true, 2, true, true)));
    assertThat(out).hasSize(3);
    var sub = out.get(0).getPush().getSubscribe();
    assertThat(sub.getEpoch()).isEqualTo("ep");
    assertThat(sub.getOffset()).isEqualTo(2);
    assertThat(sub.getRecoverable()).isTrue();
    assertThat(sub.getPositioned()).isTrue();
    assertThat(out.subList(1, 3)).extracting(r -> r.getPush().getPub().getOffset()).containsExactly(3L, 4L);
  }

  @Test
  void framesJoinWithoutSeparatorsAndThePingIsAnEmptyReply() throws IOException {
    byte[][] frames = {CODEC.ping(), CODEC.reply(1, "publish", PublishResult.INSTANCE),
        CODEC.joinPush("ch", new ClientInfo("a", "b", null, null))};
    List<Reply> out = replies(bytes(CODEC.join(frames, 0, 3)));
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).isEqualTo(Reply.getDefaultInstance());
    assertThat(out.get(1).hasPublish()).isTrue();
    assertThat(out.get(2).getPush().hasJoin()).isTrue();
    assertThat(replies(bytes(CODEC.join(frames, 1, 3)))).hasSize(2);
    assertThat(bytes(CODEC.message(frames[1]))).isEqualTo(frames[1]);
    assertThat(CODEC.joinedLength(10, true)).isEqualTo(10);
    assertThat(CODEC.joinedLength(10, false)).isEqualTo(10);
  }
}
