package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.ClientCodec;
import io.switchboard.codec.json.JsonCodec;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A delivery encodes lazily, once per codec, and shares the frame; so does a join/leave. */
class DeliveryFramesTest {

  /** Stands for a second codec (Protobuf's slot): counts its encodings. */
  static final class CountingCodec implements ClientCodec {
    final AtomicInteger encoded = new AtomicInteger();

    public String name() {
      return "counting";
    }

    public int slot() {
      return 1;
    }

    public boolean binary() {
      return true;
    }

    private byte[] count(String what) {
      encoded.incrementAndGet();
      return what.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] publicationPush(String channel, Publication pub) {
      return count("pub " + channel + " " + pub.offset());
    }

    public byte[] joinPush(String channel, ClientInfo info) {
      return count("join " + info.client());
    }

    public byte[] leavePush(String channel, ClientInfo info) {
      return count("leave " + info.client());
    }

    public byte[] unsubscribePush(String channel, int code, String reason) {
      return count("unsubscribe");
    }

    public byte[] subscribePush(String channel, io.switchboard.protocol.SubscribeResult result) {
      return count("subscribe");
    }

    public byte[] messagePush(byte[] data, boolean json) {
      return count("message");
    }

    public byte[] disconnectPush(int code, String reason, boolean reconnect) {
      return count("disconnect");
    }

    public byte[] publication(Publication pub) {
      return count("publication");
    }

    public byte[] ping() {
      return count("ping");
    }

    // Commands, replies and framing: not what this test is about.

    public java.util.List<io.switchboard.protocol.ClientCommand> decode(String message) {
      throw new UnsupportedOperationException();
    }

    public java.util.List<io.switchboard.protocol.ClientCommand> decode(io.vertx.core.buffer.Buffer message) {
      throw new UnsupportedOperationException();
    }

    public byte[] reply(long id, String method, io.switchboard.protocol.ClientResult result) {
      throw new UnsupportedOperationException();
    }

    public byte[] error(long id, io.switchboard.protocol.ReplyError error) {
      throw new UnsupportedOperationException();
    }

    public io.netty.buffer.ByteBuf message(byte[] frame) {
      throw new UnsupportedOperationException();
    }

    public io.netty.buffer.ByteBuf join(byte[][] frames, int from, int to) {
      throw new UnsupportedOperationException();
    }

    public int joinedLength(int frameLength, boolean first) {
      throw new UnsupportedOperationException();
    }
  }

  private static final Publication PUB = new Publication("chat:r", 5, "{\"a\":1}", null, Map.of());

  @Test
  void encodesNothingUntilAskedThenOncePerCodec() {
    CountingCodec other = new CountingCodec();
    Delivery d = Delivery.of(PUB, 0);
    assertThat(other.encoded).hasValue(0);
    byte[] json = d.frame(JsonCodec.INSTANCE);
    assertThat(json).isEqualTo(JsonCodec.INSTANCE.publicationPush("chat:r", PUB));
    assertThat(d.frame(JsonCodec.INSTANCE)).isSameAs(json);
    assertThat(other.encoded).hasValue(0);
    byte[] mine = d.frame(other);
    assertThat(d.frame(other)).isSameAs(mine);
    assertThat(new String(mine, StandardCharsets.UTF_8)).isEqualTo("pub chat:r 5");
    assertThat(other.encoded).hasValue(1);
  }

  @Test
  void loopsRacingForOneFrameAllGetTheSameArray() throws Exception {
    for (int round = 0; round < 200; round++) {
      CountingCodec codec = new CountingCodec();
      Delivery d = Delivery.of(PUB, 0);
      int threads = 4;
      CountDownLatch start = new CountDownLatch(1);
      List<byte[]> got = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> all = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread th = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          got.add(d.frame(codec));
        });
        th.start();
        all.add(th);
      }
      start.countDown();
      for (Thread th : all) {
        th.join();
      }
      assertThat(got).hasSize(threads);
      got.forEach(f -> assertThat(f).isSameAs(got.get(0)));
      assertThat(codec.encoded.get()).isBetween(1, threads); // at most once per thread (loop)
    }
  }

  @Test
  void joinAndLeaveAreEventsEncodedPerCodec() {
    ClientInfo info = new ClientInfo("u", "c1", null, null);
    JoinLeave.Encoded join = new JoinLeave.Encoded(new JoinLeave("chat:r", true, info));
    assertThat(new String(join.frame(JsonCodec.INSTANCE), StandardCharsets.UTF_8))
        .isEqualTo("{\"push\":{\"channel\":\"chat:r\",\"join\":{\"info\":{\"user\":\"u\",\"client\":\"c1\"}}}}");
    CountingCodec other = new CountingCodec();
    JoinLeave.Encoded leave = new JoinLeave.Encoded(new JoinLeave("chat:r", false, info));
    assertThat(leave.frame(other)).isSameAs(leave.frame(other));
    assertThat(new String(leave.frame(other), StandardCharsets.UTF_8)).isEqualTo("leave c1");
    assertThat(other.encoded).hasValue(1);
  }

  /** {@code codec} itself, counting its publication pushes. */
  private static ClientCodec counting(ClientCodec codec, AtomicInteger pushes) {
    return (ClientCodec) java.lang.reflect.Proxy.newProxyInstance(ClientCodec.class.getClassLoader(),
        new Class<?>[] {ClientCodec.class}, (proxy, method, args) -> {
          if (method.getName().equals("publicationPush")) {
            pushes.incrementAndGet();
          }
          return method.invoke(codec, args);
        });
  }

  @Test
  void aChannelOfJsonAndProtobufSubscribersPaysTwoEncodingsPerPublication() {
    AtomicInteger json = new AtomicInteger();
    AtomicInteger protobuf = new AtomicInteger();
    ClientCodec j = counting(JsonCodec.INSTANCE, json);
    ClientCodec p = counting(io.switchboard.codec.protobuf.ProtobufCodec.INSTANCE, protobuf);
    assertThat(j.slot()).isNotEqualTo(p.slot());
    Delivery d = Delivery.of(PUB, 0);
    List<byte[]> frames = new ArrayList<>();
    for (int i = 0; i < 1000; i++) { // subscribers of both codecs, interleaved, as LoopChannel.sendLive asks
      frames.add(d.frame(i % 3 == 0 ? p : j));
    }
    assertThat(json).hasValue(1);
    assertThat(protobuf).hasValue(1);
    assertThat(frames.get(0)).isEqualTo(io.switchboard.codec.protobuf.ProtobufCodec.INSTANCE.publicationPush("chat:r", PUB));
    assertThat(frames.get(1)).isEqualTo(JsonCodec.INSTANCE.publicationPush("chat:r", PUB));
  }
}
