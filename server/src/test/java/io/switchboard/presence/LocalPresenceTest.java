package io.switchboard.presence;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.model.ClientInfo;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A node's presence: one member kept alone, more in a map, and channels gone once their last member left. */
class LocalPresenceTest {
  private static ClientInfo info(String user, String client) {
    return new ClientInfo(user, client, null, null);
  }

  private static PresenceRegistry.Stats stats(LocalPresence p, String channel) {
    return p.stats(channel).result();
  }

  @Test
  void oneMemberThenAnotherThenBothLeave() {
    LocalPresence p = new LocalPresence();
    ClientInfo a = info("alice", "c1");
    ClientInfo b = info("bob", "c2");
    p.add("room", a);
    assertThat(p.getNow("room")).isEqualTo(Map.of("c1", a));
    assertThat(stats(p, "room")).isEqualTo(new PresenceRegistry.Stats(1, 1));

    p.add("room", b);
    assertThat(p.getNow("room")).isEqualTo(Map.of("c1", a, "c2", b));
    assertThat(stats(p, "room")).isEqualTo(new PresenceRegistry.Stats(2, 2));

    p.remove("room", "c1");
    assertThat(p.getNow("room")).isEqualTo(Map.of("c2", b));
    p.remove("room", "c2");
    assertThat(p.getNow("room")).isEmpty();
    assertThat(stats(p, "room")).isEqualTo(new PresenceRegistry.Stats(0, 0));
  }

  @Test
  void theSameClientAddedAgainIsReplacedAndAnUnknownOneIsNotRemoved() {
    LocalPresence p = new LocalPresence();
    p.add("room", info("alice", "c1"));
    ClientInfo again = new ClientInfo("alice", "c1", "{\"v\":2}", null);
    p.add("room", again);
    assertThat(p.getNow("room")).isEqualTo(Map.of("c1", again));
    p.remove("room", "c9");
    assertThat(p.getNow("room")).isEqualTo(Map.of("c1", again));
    p.remove("other", "c1");
    assertThat(p.getNow("room")).hasSize(1);
  }

  @Test
  void twoClientsOfOneUserCountAsOneUser() {
    LocalPresence p = new LocalPresence();
    p.add("room", info("alice", "c1"));
    p.add("room", info("alice", "c2"));
    assertThat(stats(p, "room")).isEqualTo(new PresenceRegistry.Stats(2, 1));
  }

  @Test
  void forEachVisitsEveryMemberOfEveryChannel() {
    LocalPresence p = new LocalPresence();
    p.add("solo", info("alice", "c1"));
    p.add("room", info("alice", "c1"));
    p.add("room", info("bob", "c2"));
    Map<String, Integer> seen = new HashMap<>();
    p.forEach((channel, info) -> seen.merge(channel, 1, Integer::sum));
    assertThat(seen).isEqualTo(Map.of("solo", 1, "room", 2));
  }

  @Test
  void concurrentJoinsAndLeavesLoseNobody() throws Exception {
    LocalPresence p = new LocalPresence();
    int threads = 4;
    int each = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    for (int t = 0; t < threads; t++) {
      int id = t;
      pool.submit(() -> {
        start.await();
        for (int i = 0; i < each; i++) {
          String client = id + "-" + i;
          p.add("room", info("u" + id, client));
          if (i % 2 == 1) { // every other one leaves again: the map goes down to one member and up again
            p.remove("room", client);
          }
        }
        return null;
      });
    }
    start.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.getNow("room")).hasSize(threads * each / 2);
  }
}
