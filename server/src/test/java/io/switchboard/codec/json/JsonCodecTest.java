package io.switchboard.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.switchboard.codec.BadMessageException;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientCommand.Kind;
import io.switchboard.protocol.ConnectRequest;
import io.switchboard.protocol.PresenceResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON codec's reading of commands and joining of frames, without a server. */
class JsonCodecTest {
  private final JsonCodec codec = JsonCodec.INSTANCE;

  @Test
  void readsOneCommandPerLineSkippingBlankLines() {
    List<ClientCommand> cmds = codec.decode(
        "{\"id\":1,\"connect\":{\"token\":\"t\"}}\n\n  \r\n{\"id\":2,\"subscribe\":{\"channel\":\"a\"}}\n");
    assertThat(cmds).extracting(ClientCommand::kind).containsExactly(Kind.COMMAND, Kind.COMMAND);
    assertThat(cmds).extracting(ClientCommand::id).containsExactly(1L, 2L);
    assertThat(cmds).extracting(ClientCommand::method).containsExactly("connect", "subscribe");
    assertThat(cmds.get(0).request()).isInstanceOf(ConnectRequest.class);
    assertThat(((ConnectRequest) cmds.get(0).request()).token()).isEqualTo("t");
  }

  @Test
  void anEmptyMessageHasNoCommands() {
    assertThat(codec.decode("")).isEmpty();
    assertThat(codec.decode("\n \n")).isEmpty();
  }

  @Test
  void anEmptyObjectIsThePongAndAnIdAloneWithZeroIsTakenForOneInItsTurn() {
    assertThat(codec.decode("{}\n{\"id\":3,\"presence\":{\"channel\":\"a\"}}"))
        .extracting(ClientCommand::kind).containsExactly(Kind.PONG, Kind.COMMAND);
    assertThat(codec.decode("{}").get(0)).isSameAs(ClientCommand.PONG);
    assertThat(codec.decode("{\"id\":0}").get(0).kind()).isEqualTo(Kind.ID_ONLY);
    assertThat(codec.decode("{\"id\":5}").get(0).kind()).isEqualTo(Kind.UNKNOWN_METHOD);
  }

  @Test
  void unknownMethodsBadIdsAndBadParamsAreKeptForTheirTurn() {
    ClientCommand unknown = codec.decode("{\"id\":7,\"frobnicate\":{}}").get(0);
    assertThat(unknown.kind()).isEqualTo(Kind.UNKNOWN_METHOD);
    assertThat(unknown.id()).isEqualTo(7);
    assertThat(codec.decode("{\"frobnicate\":{}}").get(0).kind()).isEqualTo(Kind.UNKNOWN_METHOD);
    for (String badId : new String[] {"\"7\"", "-1", "1.5", "true"}) {
      assertThat(codec.decode("{\"id\":" + badId + ",\"publish\":{}}").get(0).kind()).as(badId)
          .isEqualTo(Kind.BAD_ID);
    }
    assertThat(codec.decode("{\"id\":2.0,\"publish\":{}}").get(0).id()).isEqualTo(2);
    ClientCommand badParams = codec.decode("{\"id\":9,\"presence\":\"chat:x\"}").get(0);
    assertThat(badParams.kind()).isEqualTo(Kind.COMMAND);
    assertThat(badParams.method()).isEqualTo("presence");
    assertThat(badParams.decodeFailure().detail()).isEqualTo("presence must be an object");
    ClientCommand missing = codec.decode("{\"id\":10,\"presence\":{}}").get(0);
    assertThat(missing.request()).isNull();
    assertThat(missing.decodeFailure().detail()).isEqualTo("channel required");
  }

  @Test
  void missingParamsAreEmptyAndTheFirstMethodInProtocolOrderWins() {
    ClientCommand send = codec.decode("{\"send\":null}").get(0);
    assertThat(send.kind()).isEqualTo(Kind.COMMAND);
    assertThat(send.id()).isZero();
    assertThat(send.request()).isInstanceOf(io.switchboard.protocol.SendRequest.class);
    assertThat(send.decodeFailure()).isNull();
    assertThat(codec.decode("{\"id\":1,\"publish\":{},\"connect\":{}}").get(0).method()).isEqualTo("connect");
  }

  @Test
  void aLineThatIsNotAJsonObjectRefusesTheWholeMessage() {
    assertThatThrownBy(() -> codec.decode("{\"id\":1,\"connect\":{}}\n{\"id\":5,\"presence\":"))
        .isInstanceOf(BadMessageException.class);
    assertThatThrownBy(() -> codec.decode("[1,2,3]")).isInstanceOf(BadMessageException.class);
    assertThatThrownBy(() -> codec.decode(Buffer.buffer("{}"))).isInstanceOf(BadMessageException.class);
  }

  @Test
  void joinsFramesWithNewlinesWithoutCopyingThem() {
    byte[] a = utf8("{\"id\":1}");
    byte[] b = utf8("{\"push\":{\"channel\":\"é\"}}");
    byte[] c = utf8("{}");
    byte[][] frames = {c, a, b, c};
    ByteBuf joined = codec.join(frames, 1, 4);
    assertThat(joined.toString(StandardCharsets.UTF_8)).isEqualTo("{\"id\":1}\n{\"push\":{\"channel\":\"é\"}}\n{}");
    a[1] = 'X'; // the message wraps the frame's own bytes
    assertThat(joined.toString(StandardCharsets.UTF_8)).startsWith("{X");
    ByteBuf one = codec.message(b);
    assertThat(one.readableBytes()).isEqualTo(b.length);
    assertThat(one.hasArray() && one.array() == b).isTrue();
  }

  @Test
  void aJoinedFrameAddsItsLengthAndANewlineUnlessItOpensTheMessage() {
    assertThat(codec.joinedLength(10, true)).isEqualTo(10);
    assertThat(codec.joinedLength(10, false)).isEqualTo(11);
    assertThat(codec.binary()).isFalse();
  }

  @Test
  void repliesErrorsAndPingAreJsonFrames() {
    assertThat(new String(codec.reply(4, "presence", new PresenceResult(java.util.Map.of())),
        StandardCharsets.UTF_8)).isEqualTo("{\"id\":4,\"presence\":{\"presence\":{}}}");
    assertThat(new String(codec.ping(), StandardCharsets.UTF_8)).isEqualTo("{}");
    assertThat(codec.ping()).isSameAs(codec.ping());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
