package io.switchboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.switchboard.broker.Hub;
import io.switchboard.codec.json.JsonCodec;
import io.switchboard.config.ConfigLoader;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.ops.Metrics;
import io.switchboard.ops.NodeStatus;
import io.switchboard.transport.InboundHandler;
import io.switchboard.transport.Transport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A session's output over a recording transport, without a socket: coalescing within a loop turn, the 60 KiB
 * cut, waiting for a full transport, the 3008 rule, and pushes held behind the connect reply.
 */
class OutboundQueueTest {
  private Vertx vertx;
  private Context context;
  private RecordingTransport transport;
  private Session session;

  @BeforeEach
  void setUp() throws Exception {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    Metrics metrics = new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    SwitchboardConfig config = ConfigLoader.load(null, java.util.Map.of());
    GatewayServices services = new GatewayServices(config.client(), config.channels(), null, metrics, null, null,
        new Hub(null, metrics, 16, 16), new NodeStatus("test", "test"));
    transport = new RecordingTransport();
    onLoop(() -> {
      GatewayLoop gateway = new GatewayLoop(services, context);
      session = new Session(services, transport, JsonCodec.INSTANCE, gateway.hub, gateway);
    });
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aTurnsFramesGoOutAsOneMessageJoinedByNewlines() throws Exception {
    onLoop(() -> {
      session.write(utf8("{\"id\":1}"));
      session.write(utf8("{\"push\":{}}"));
      session.write(utf8("{}"));
    });
    assertThat(written()).containsExactly("{\"id\":1}\n{\"push\":{}}\n{}");
    onLoop(() -> session.write(utf8("{\"id\":2}")));
    assertThat(written()).containsExactly("{\"id\":1}\n{\"push\":{}}\n{}", "{\"id\":2}");
  }

  @Test
  void coalescedOutputIsCutIntoMessagesOfAtMost60KiB() throws Exception {
    byte[] a = filled(30 * 1024);
    byte[] b = filled(30 * 1024 - 1); // a, newline, b: exactly the limit
    byte[] c = filled(1);
    onLoop(() -> {
      session.write(a);
      session.write(b);
      session.write(c);
    });
    List<String> messages = written();
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0)).hasSize(OutboundQueue.COALESCE_LIMIT);
    assertThat(messages.get(1)).hasSize(1);
  }

  @Test
  void aFullTransportKeepsOutputUntilItDrains() throws Exception {
    transport.full = true;
    onLoop(() -> {
      session.write(utf8("{\"id\":1}"));
      session.write(utf8("{\"id\":2}"));
    });
    assertThat(written()).isEmpty();
    onLoop(() -> session.write(utf8("{\"id\":3}")));
    assertThat(written()).isEmpty();
    onLoop(() -> {
      transport.full = false;
      transport.drained.run();
    });
    assertThat(written()).containsExactly("{\"id\":1}\n{\"id\":2}\n{\"id\":3}");
    assertThat(transport.closedWith).isNull();
  }

  @Test
  void aBacklogPastMaxOutboundBytesClosesWith3008WithoutWritingIt() throws Exception {
    byte[] mib = filled(1024 * 1024);
    transport.full = true;
    onLoop(() -> session.write(mib));
    onLoop(() -> session.write(mib));
    assertThat(transport.closedWith).isNull(); // 2 MiB: at the limit, not past it
    onLoop(() -> session.write(utf8("{}")));
    assertThat(transport.closedWith).isEqualTo((short) 3008);
    assertThat(written()).isEmpty();
  }

  @Test
  void pushesHeldDuringConnectFollowItsReply() throws Exception {
    onLoop(() -> {
      session.holdPushes();
      session.deliver(utf8("{\"push\":{\"channel\":\"notify:#u\"}}"));
    });
    assertThat(written()).isEmpty();
    onLoop(() -> {
      session.write(utf8("{\"id\":1,\"connect\":{}}"));
      session.releaseHeld();
    });
    assertThat(written()).containsExactly("{\"id\":1,\"connect\":{}}\n{\"push\":{\"channel\":\"notify:#u\"}}");
  }

  @Test
  void queuedOutputIsWrittenBeforeTheCloseExceptOnSlow() throws Exception {
    onLoop(() -> {
      session.write(utf8("{\"id\":1,\"error\":{\"code\":107}}"));
      session.disconnect(io.switchboard.protocol.DisconnectCode.BAD_REQUEST);
      session.write(utf8("{\"id\":2}")); // after the close: dropped
    });
    assertThat(written()).containsExactly("{\"id\":1,\"error\":{\"code\":107}}");
    assertThat(transport.closedWith).isEqualTo((short) 3501);
    assertThat(transport.closeReason).isEqualTo("bad request");
  }

  /** Runs on the session's loop and waits for it, and for the flush task the run scheduled. */
  private void onLoop(Runnable r) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      context.runOnContext(w -> done.complete(null)); // behind the loop's flush task
    });
    done.get(10, TimeUnit.SECONDS);
  }

  private List<String> written() throws Exception {
    CompletableFuture<List<String>> f = new CompletableFuture<>();
    context.runOnContext(v -> f.complete(new ArrayList<>(transport.messages)));
    return f.get(10, TimeUnit.SECONDS);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) 'x');
    return b;
  }

  private static final class RecordingTransport implements Transport {
    final List<String> messages = new ArrayList<>();
    boolean full;
    Runnable drained = () -> { };
    Short closedWith;
    String closeReason;

    @Override
    public void start(InboundHandler inbound) {}

    @Override
    public void write(ByteBuf message) {
      messages.add(message.toString(StandardCharsets.UTF_8));
      message.release();
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void drainHandler(Runnable onDrain) {
      drained = onDrain;
    }

    @Override
    public Future<Void> close(short code, String reason) {
      closedWith = code;
      closeReason = reason;
      return Future.succeededFuture();
    }

    @Override
    public boolean isClosed() {
      return closedWith != null;
    }

    @Override
    public SocketAddress remoteAddress() {
      return null;
    }
  }
}
