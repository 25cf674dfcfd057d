package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.storage.PgPools;
import io.switchboard.storage.PgUrl;
import io.switchboard.testsupport.TestPostgres;
import io.switchboard.webhook.Occupancy.Change;
import io.switchboard.webhook.Occupancy.Key;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arbiter itself, against a real PostgreSQL: three "nodes" applying their batches concurrently on separate
 * connections, for the same keys. Every cluster-wide transition must be enqueued exactly once.
 */
class TransitionStoreTest {
  static final List<String> EVENTS = List.of("member_added", "member_removed", "channel_occupied", "channel_vacated");
  static Vertx vertx;
  static Pool pool;

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
    TestPostgres.Db db = TestPostgres.freshDatabase();
    pool = PgPools.create(vertx, PgUrl.parse(db.url()).connectOptions(1), 6, "transition-test");
  }

  @AfterAll
  static void tearDown() {
    vertx.close().await();
  }

  TransitionStore store(String target) {
    return new TransitionStore(pool, List.of(target), EVENTS);
  }

  static List<Change> all(List<Key> keys, boolean held) {
    return keys.stream().map(k -> new Change(k, held)).toList();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** (type, channel|user) of the target's events in seq order. */
  static List<Row> events(String target) throws Exception {
    List<Row> out = new ArrayList<>();
    await(pool.preparedQuery("SELECT type, channel, usr, seq FROM webhook_queue WHERE target = $1 ORDER BY seq")
        .execute(io.vertx.sqlclient.Tuple.of(target))).forEach(out::add);
    return out;
  }

  static List<Key> keys(String prefix, int n) {
    List<Key> keys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      keys.add(new Key(Occupancy.MEMBER, prefix + ":" + i, "u" + i));
    }
    return keys;
  }

  @Test
  void threeNodesTakingAndReleasingTheSameKeysAtOnceMakeOneEventPerChange() throws Exception {
    TransitionStore s = store("t1");
    List<Key> keys = keys("same", 30);
    int rounds = 10;
    for (int r = 0; r < rounds; r++) {
      for (boolean held : new boolean[] {true, false}) {
        List<Future<Long>> batch = new ArrayList<>();
        for (String node : List.of("n1", "n2", "n3")) {
          batch.add(s.apply(node, all(keys, held)));
        }
        await(Future.all(batch));
      }
    }
    List<Row> events = events("t1");
    assertThat(events).hasSize(keys.size() * rounds * 2);
    Map<String, String> last = new HashMap<>();
    for (Row e : events) {
      String prev = last.put(e.getString("channel"), e.getString("type"));
      assertThat(e.getString("type")).isEqualTo("member_added".equals(prev) ? "member_removed" : "member_added");
    }
  }

  @Test
  void randomConcurrentFlipsAlternatePerKeyAndEndInTheHeldState() throws Exception {
    TransitionStore s = store("t2");
    List<Key> keys = keys("rand", 8);
    List<String> nodes = List.of("r1", "r2", "r3");
    Map<String, Map<Key, Boolean>> holds = new HashMap<>();
    nodes.forEach(n -> holds.put(n, new HashMap<>()));
    Random random = new Random(7);
    for (int round = 0; round < 40; round++) {
      List<Future<Long>> batch = new ArrayList<>();
      for (String node : nodes) {
        List<Change> changes = new ArrayList<>();
        for (Key k : keys) {
          if (random.nextInt(3) == 0) {
            boolean now = !holds.get(node).getOrDefault(k, false);
            holds.get(node).put(k, now);
            changes.add(new Change(k, now));
          }
        }
        batch.add(s.apply(node, changes));
      }
      await(Future.all(batch));
    }
    Map<String, String> last = new HashMap<>();
    for (Row e : events("t2")) {
      String prev = last.put(e.getString("channel"), e.getString("type"));
      assertThat(e.getString("type")).as("after %s", prev)
          .isEqualTo("member_added".equals(prev) ? "member_removed" : "member_added");
    }
    for (Key k : keys) {
      boolean held = nodes.stream().anyMatch(n -> holds.get(n).getOrDefault(k, false));
      assertThat(last.getOrDefault(k.channel(), "member_removed")).as("%s", k)
          .isEqualTo(held ? "member_added" : "member_removed");
    }
  }

  @Test
  void releasingADeadNodeRemovesOnlyWhatItAloneHeldAndOnlyOnce() throws Exception {
    TransitionStore s = store("t3");
    Key shared = new Key(Occupancy.MEMBER, "rel:shared", "bob");
    Key alone = new Key(Occupancy.MEMBER, "rel:alone", "dave");
    Key channel = new Key(Occupancy.CHANNEL, "rel:alone", "");
    await(s.apply("live", List.of(new Change(shared, true))));
    await(s.apply("dead", List.of(new Change(shared, true), new Change(alone, true), new Change(channel, true))));
    await(Future.all(s.releaseNode("dead"), s.releaseNode("dead"))); // two survivors at once
    List<String> seen = events("t3").stream().map(e -> e.getString("type") + " " + e.getString("channel")).toList();
    assertThat(seen).containsExactlyInAnyOrder("member_added rel:shared", "member_added rel:alone",
        "channel_occupied rel:alone", "member_removed rel:alone", "channel_vacated rel:alone");
    assertThat(await(s.holdingNodes())).doesNotContain("dead");
    // the same batch applied twice (its first outcome unknown) enqueues nothing more
    await(s.apply("live", List.of(new Change(shared, true))));
    assertThat(events("t3")).hasSize(5);
  }
}
