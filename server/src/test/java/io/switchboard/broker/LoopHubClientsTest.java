package io.switchboard.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.codec.ClientCodec;
import io.switchboard.codec.json.JsonCodec;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A loop's registry of connected sessions by user: one session kept alone, more in a list, none added twice. */
class LoopHubClientsTest {
  private final Vertx vertx = Vertx.vertx();
  private final Hub hub = new Hub(null, null, 10, 10);
  private final LoopHub loop = hub.newLoop(vertx.getOrCreateContext());

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private record Client(String clientId, String user) implements Subscriber {
    @Override
    public ClientCodec codec() {
      return JsonCodec.INSTANCE;
    }

    @Override
    public void deliver(byte[] frame) {}

    @Override
    public void serverUnsubscribe(String channel, int code, String reason) {}
  }

  @Test
  void aUsersSessionsComeAndGoOneByOne() {
    Client a1 = new Client("c1", "alice");
    Client a2 = new Client("c2", "alice");
    Client b = new Client("c3", "bob");
    loop.addClient(a1);
    assertThat(loop.clientsOf("alice")).containsExactly(a1);
    loop.addClient(a2);
    loop.addClient(b);
    assertThat(loop.clientsOf("alice")).containsExactly(a1, a2);
    assertThat(loop.clientsOf("bob")).containsExactly(b);
    assertThat(hub.numClients()).isEqualTo(3);
    assertThat(hub.numUsers()).isEqualTo(2);

    loop.removeClient(a1);
    assertThat(loop.clientsOf("alice")).containsExactly(a2);
    loop.removeClient(a2);
    assertThat(loop.clientsOf("alice")).isEmpty();
    assertThat(hub.hasUser("alice")).isFalse();
    assertThat(hub.numClients()).isEqualTo(1);
  }

  @Test
  void addingOrRemovingASessionTwiceCountsOnce() {
    Client a1 = new Client("c1", "alice");
    Client a2 = new Client("c2", "alice");
    loop.addClient(a1);
    loop.addClient(a1);
    assertThat(loop.clientsOf("alice")).containsExactly(a1);
    loop.addClient(a2);
    loop.addClient(a2);
    assertThat(loop.clientsOf("alice")).containsExactly(a1, a2);
    assertThat(hub.numClients()).isEqualTo(2);

    loop.removeClient(a2);
    loop.removeClient(a2);
    loop.removeClient(new Client("c9", "alice")); // never added
    assertThat(loop.clientsOf("alice")).containsExactly(a1);
    assertThat(hub.numClients()).isEqualTo(1);
    loop.removeClient(a1);
    loop.removeClient(a1);
    assertThat(hub.numClients()).isZero();
    assertThat(hub.numUsers()).isZero();
  }
}
