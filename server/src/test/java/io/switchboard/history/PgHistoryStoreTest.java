package io.switchboard.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.history.HistoryStore.AppendResult;
import io.switchboard.history.HistoryStore.HistoryPage;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import io.switchboard.testsupport.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PgHistoryStoreTest {
  private static Vertx vertx;
  private static Pool poolA;
  private static Pool poolB;
  private static PgHistoryStore storeA;
  private static PgHistoryStore storeB;
  private static int channelCounter;

  @BeforeAll
  static void setUp() {
    TestPostgres.Db db = TestPostgres.freshDatabase();
    vertx = Vertx.vertx();
    poolA = db.pool(vertx);
    poolB = db.pool(vertx);
    storeA = new PgHistoryStore(poolA);
    storeB = new PgHistoryStore(poolB);
  }

  @AfterAll
  static void tearDown() {
    poolA.close().await();
    poolB.close().await();
    vertx.close().await();
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private static synchronized String newChannel() {
    return "chat:test-" + (++channelCounter);
  }

  private static Publication pub(String data) {
    return new Publication("ignored", 0, data, null, Map.of());
  }

  @Test
  void positionsOfManyStreamsAgreeWithPositionAndCreateEachOnce() throws Exception {
    String existing = newChannel();
    await(storeA.append(existing, List.of(pub("{}"), pub("{}"))));
    List<String> fresh = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fresh.add(newChannel());
    }
    List<String> all = new ArrayList<>(fresh);
    all.add(existing);
    // two pools race to create the same missing streams
    Future<Map<String, StreamPosition>> a = storeA.positions(all);
    Future<Map<String, StreamPosition>> b = storeB.positions(all);
    Map<String, StreamPosition> fromA = await(a);
    Map<String, StreamPosition> fromB = await(b);
    assertThat(fromA).hasSize(51).isEqualTo(fromB);
    assertThat(fromA.get(existing).offset()).isEqualTo(2L);
    for (String c : fresh) {
      assertThat(fromA.get(c).offset()).isZero();
      assertThat(fromA.get(c).epoch()).isNotEmpty().isEqualTo(await(storeA.position(c)).epoch());
    }
  }

  @Test
  void concurrentAppendersGetGapFreeOffsetsInOrder() throws Exception {
    String channel = newChannel();
    List<Future<AppendResult>> futures = new ArrayList<>();
    int expected = 0;
    for (int i = 0; i < 8; i++) {
      PgHistoryStore store = i % 2 == 0 ? storeA : storeB;
      List<Publication> batch = new ArrayList<>();
      for (int j = 0; j < 5; j++) {
        batch.add(pub("{\"batch\":" + i + ",\"n\":" + j + "}"));
      }
      futures.add(store.append(channel, batch));
      expected += batch.size();
      futures.add((i % 2 == 0 ? storeB : storeA).append(channel, List.of(pub("{\"single\":" + i + "}"))));
      futures.add(store.appendOnce(channel, pub("{\"once\":" + i + "}"), "key-" + i));
      expected += 2;
    }
    await(Future.all(futures));

    Set<Long> seen = new HashSet<>();
    for (Future<AppendResult> f : futures) {
      AppendResult r = f.result();
      assertThat(r.duplicate()).isFalse();
      List<Publication> ps = r.publications();
      for (int k = 0; k < ps.size(); k++) {
        assertThat(ps.get(k).offset()).as("batch offsets are consecutive in list order")
            .isEqualTo(ps.get(0).offset() + k);
        assertThat(ps.get(k).channel()).isEqualTo(channel);
        assertThat(seen.add(ps.get(k).offset())).as("offset %d handed out once", ps.get(k).offset()).isTrue();
      }
      assertThat(r.top().offset()).isEqualTo(ps.get(ps.size() - 1).offset());
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(
        IntStream.rangeClosed(1, expected).mapToObj(i -> (long) i).toList());

    HistoryPage page = await(storeA.read(channel, 0, 1000, false));
    assertThat(page.top().offset()).isEqualTo(expected);
    assertThat(page.publications()).extracting(Publication::offset)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, expected).mapToObj(i -> (long) i).toList());
    // What was stored at each offset is what the appender was told.
    Map<Long, String> told = new java.util.HashMap<>();
    futures.forEach(f -> f.result().publications().forEach(p -> told.put(p.offset(), p.dataText())));
    page.publications().forEach(p -> assertThat(p.dataText()).isEqualTo(told.get(p.offset())));
    // One epoch for the stream, whichever appender created it.
    Set<String> epochs = new HashSet<>();
    futures.forEach(f -> epochs.add(f.result().top().epoch()));
    assertThat(epochs).containsExactly(page.top().epoch());
  }

  @Test
  void appendAllGivesEachChannelConsecutiveOffsetsAndConcurrentBatchesNeitherDeadlockNorGap() throws Exception {
    List<String> channels = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      channels.add(newChannel());
    }
    await(storeA.append(channels.get(0), List.of(pub("{\"before\":1}")))); // one stream exists already
    // 20 batches from two pools, each over the channels in a different order (so a naive lock order would
    // deadlock), each channel with 1 to 3 publications.
    List<Future<Map<String, AppendResult>>> futures = new ArrayList<>();
    Map<String, Integer> expected = new java.util.HashMap<>();
    expected.put(channels.get(0), 1);
    for (int b = 0; b < 20; b++) {
      List<String> order = new ArrayList<>(channels);
      java.util.Collections.rotate(order, b);
      if (b % 2 == 1) {
        java.util.Collections.reverse(order);
      }
      Map<String, List<Publication>> batch = new java.util.LinkedHashMap<>();
      for (String c : order) {
        int n = 1 + (b + c.length()) % 3;
        List<Publication> pubs = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          pubs.add(new Publication("ignored", 0, "{\"b\":" + b + ",\"k\":" + k + "}",
              new ClientInfo("u" + b, "c" + b, null, null), Map.of("k", String.valueOf(k))));
        }
        batch.put(c, pubs);
        expected.merge(c, n, Integer::sum);
      }
      batch.put(newChannel(), List.of()); // an empty list appends nothing and is left out of the result
      futures.add((b % 2 == 0 ? storeA : storeB).appendAll(batch));
    }
    await(Future.all(futures));

    Map<String, Map<Long, String>> told = new java.util.HashMap<>();
    for (Future<Map<String, AppendResult>> f : futures) {
      assertThat(f.result()).hasSize(channels.size());
      f.result().forEach((c, r) -> {
        List<Publication> ps = r.publications();
        for (int k = 0; k < ps.size(); k++) {
          assertThat(ps.get(k).offset()).as("consecutive in list order").isEqualTo(ps.get(0).offset() + k);
          assertThat(ps.get(k).channel()).isEqualTo(c);
          assertThat(told.computeIfAbsent(c, x -> new java.util.HashMap<>()).put(ps.get(k).offset(), ps.get(k).dataText()))
              .as("offset handed out once").isNull();
        }
        assertThat(r.top().offset()).isEqualTo(ps.get(ps.size() - 1).offset());
      });
    }
    for (String c : channels) {
      HistoryPage page = await(storeB.read(c, 0, 1000, false));
      int n = expected.get(c);
      assertThat(page.top().offset()).isEqualTo(n);
      assertThat(page.publications()).extracting(Publication::offset)
          .containsExactlyElementsOf(IntStream.rangeClosed(1, n).mapToObj(i -> (long) i).toList());
      page.publications().stream().filter(p -> told.get(c).containsKey(p.offset())).forEach(p -> {
        assertThat(p.dataText()).isEqualTo(told.get(c).get(p.offset()));
        assertThat(p.info().user()).startsWith("u");
        assertThat(p.tags()).containsKey("k");
      });
    }
  }

  @Test
  void appendOnceSequentialDuplicateDoesNotConsumeAnOffset() throws Exception {
    String channel = newChannel();
    await(storeA.append(channel, List.of(pub("1"), pub("2"))));
    AppendResult first = await(storeA.appendOnce(channel, pub("{\"m\":\"hello\"}"), "k1"));
    assertThat(first.duplicate()).isFalse();
    assertThat(first.publications().get(0).offset()).isEqualTo(3);

    AppendResult second = await(storeB.appendOnce(channel, pub("{\"m\":\"other\"}"), "k1"));
    assertThat(second.duplicate()).isTrue();
    assertThat(second.publications()).hasSize(1);
    assertThat(second.publications().get(0).offset()).isEqualTo(3);
    assertThat(second.publications().get(0).dataText()).isEqualTo("{\"m\":\"hello\"}");
    assertThat(second.top()).isEqualTo(first.top());

    assertThat(await(storeA.position(channel)).offset()).isEqualTo(3);
    AppendResult next = await(storeA.append(channel, List.of(pub("4"))));
    assertThat(next.publications().get(0).offset()).isEqualTo(4);
    assertThat(countRows(channel)).isEqualTo(4);
  }

  @Test
  void appendOnceConcurrentCallsMakeExactlyOneRow() throws Exception {
    String channel = newChannel();
    List<Future<AppendResult>> futures = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      futures.add((i % 2 == 0 ? storeA : storeB).appendOnce(channel, pub("{\"try\":" + i + "}"), "same-key"));
    }
    await(Future.all(futures));
    List<AppendResult> results = futures.stream().map(Future::result).toList();
    assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);
    assertThat(results).filteredOn(AppendResult::duplicate).hasSize(9);
    AppendResult winner = results.stream().filter(r -> !r.duplicate()).findFirst().orElseThrow();
    assertThat(results).allSatisfy(r -> {
      assertThat(r.publications().get(0).offset()).isEqualTo(1);
      assertThat(r.publications().get(0).dataText()).isEqualTo(winner.publications().get(0).dataText());
      assertThat(r.top()).isEqualTo(new StreamPosition(1, winner.top().epoch()));
    });
    assertThat(countRows(channel)).isEqualTo(1);
    assertThat(await(storeA.position(channel)).offset()).isEqualTo(1);
  }

  @Test
  void removeHistoryKeepsOffsetAndEpoch() throws Exception {
    String channel = newChannel();
    AppendResult r = await(storeA.append(channel, List.of(pub("1"), pub("2"), pub("3"))));
    await(storeA.removeHistory(channel));
    HistoryPage page = await(storeA.read(channel, 0, 100, false));
    assertThat(page.publications()).isEmpty();
    assertThat(page.top()).isEqualTo(r.top());
    assertThat(countRows(channel)).isZero();

    AppendResult after = await(storeB.append(channel, List.of(pub("4"))));
    assertThat(after.publications().get(0).offset()).isEqualTo(4);
    assertThat(after.top()).isEqualTo(new StreamPosition(4, r.top().epoch()));
  }

  @Test
  void readForwardReverseAndLimit() throws Exception {
    String channel = newChannel();
    List<Publication> ten = IntStream.rangeClosed(1, 10).mapToObj(i -> pub("{\"i\":" + i + "}")).toList();
    AppendResult r = await(storeA.append(channel, ten));
    StreamPosition top = r.top();
    assertThat(top.offset()).isEqualTo(10);

    assertThat(offsets(await(storeA.read(channel, 3, 4, false)))).containsExactly(4L, 5L, 6L, 7L);
    assertThat(offsets(await(storeA.read(channel, 0, 100, false)))).hasSize(10).startsWith(1L).endsWith(10L);
    assertThat(offsets(await(storeA.read(channel, 10, 5, false)))).isEmpty();
    assertThat(offsets(await(storeA.read(channel, 0, 3, true)))).containsExactly(10L, 9L, 8L);
    assertThat(offsets(await(storeA.read(channel, 5, 10, true)))).containsExactly(4L, 3L, 2L, 1L);
    assertThat(offsets(await(storeA.read(channel, 5, 2, true)))).containsExactly(4L, 3L);
    assertThat(offsets(await(storeA.read(channel, 1, 2, true)))).isEmpty();

    HistoryPage zero = await(storeA.read(channel, 0, 0, false));
    assertThat(zero.publications()).isEmpty();
    assertThat(zero.top()).isEqualTo(top);
    HistoryPage p = await(storeA.read(channel, 0, 1, false));
    assertThat(p.top()).isEqualTo(top);
    assertThat(p.publications().get(0).dataText()).isEqualTo("{\"i\":1}");
    assertThat(p.publications().get(0).channel()).isEqualTo(channel);

    assertThatThrownBy(() -> await(storeA.read(channel, 0, -1, false)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readNeverReturnsOffsetsAboveTheTop() throws Exception {
    String channel = newChannel();
    await(storeA.append(channel, List.of(pub("1"), pub("2"))));
    // A row beyond the top, as an uncommitted-in-spirit append would look to a reader holding an older top.
    await(poolA.preparedQuery("INSERT INTO publications(channel, \"offset\", data) VALUES ($1, 3, '\"ahead\"')")
        .execute(Tuple.of(channel)));
    assertThat(offsets(await(storeA.read(channel, 0, 10, false)))).containsExactly(1L, 2L);
    assertThat(offsets(await(storeA.read(channel, 0, 10, true)))).containsExactly(2L, 1L);
    assertThat(await(storeA.read(channel, 0, 10, true)).top().offset()).isEqualTo(2);
  }

  @Test
  void rawJsonInfoAndTagsRoundTripExactly() throws Exception {
    String channel = newChannel();
    String data = "{\"b\":1,\"a\":[1,2]}";
    String spaced = "{ \"z\" : 1.50 ,\n \"y\": \"\\u00e9\" }";
    ClientInfo info = new ClientInfo("user-1", "client-1", "{\"name\":\"Ann\",\"age\":3}", "{\"role\":\"admin\"}");
    Map<String, String> tags = Map.of("k1", "v1", "k2", "v2");
    await(storeA.append(channel, List.of(
        new Publication(channel, 0, data, info, tags),
        new Publication(channel, 0, spaced, null, null),
        new Publication(channel, 0, "\"just a string\"", new ClientInfo("u", "c", null, null), Map.of()))));

    List<Publication> read = await(storeB.read(channel, 0, 10, false)).publications();
    assertThat(read).hasSize(3);
    assertThat(read.get(0).dataText()).isEqualTo(data);
    assertThat(read.get(0).info()).isEqualTo(info);
    assertThat(read.get(0).tags()).isEqualTo(tags);
    assertThat(read.get(1).dataText()).isEqualTo(spaced);
    assertThat(read.get(1).info()).isNull();
    assertThat(read.get(1).tags()).isEmpty();
    assertThat(read.get(2).dataText()).isEqualTo("\"just a string\"");
    assertThat(read.get(2).info()).isEqualTo(new ClientInfo("u", "c", null, null));
  }

  @Test
  void bytesThatAreNotJsonRoundTripExactlyThroughEveryAppend() throws Exception {
    String channel = newChannel();
    byte[] a = {0, (byte) 0xff, (byte) 0xc3, 0x28};
    byte[] b = {'{', 0x7f, (byte) 0x80};
    byte[] c = {};
    await(storeA.append(channel, List.of(new Publication(channel, 0, a, false, null, Map.of()))));
    await(storeA.appendOnce(channel, new Publication(channel, 0, b, false, null, Map.of()), "k-bytes"));
    await(poolA.withTransaction(tx -> storeA.appendInTransaction(tx, channel,
        List.of(new Publication(channel, 0, c, false, null, Map.of()), pub("{\"j\":1}")),
        java.util.Arrays.asList(null, null))));
    List<Publication> read = await(storeB.read(channel, 0, 10, false)).publications();
    assertThat(read).extracting(Publication::json).containsExactly(false, false, false, true);
    assertThat(read.get(0).data()).isEqualTo(a);
    assertThat(read.get(1).data()).isEqualTo(b);
    assertThat(read.get(2).data()).isEqualTo(c);
    assertThat(read.get(3).dataText()).isEqualTo("{\"j\":1}");
    AppendResult dup = await(storeA.appendOnce(channel, pub("{}"), "k-bytes"));
    assertThat(dup.duplicate()).isTrue();
    assertThat(dup.publications().get(0)).isEqualTo(read.get(1));
  }

  @Test
  void positionCreatesTheStreamOnceWithOneEpoch() throws Exception {
    String channel = newChannel();
    List<Future<StreamPosition>> futures = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      futures.add((i % 2 == 0 ? storeA : storeB).position(channel));
    }
    await(Future.all(futures));
    Set<StreamPosition> positions = new HashSet<>();
    futures.forEach(f -> positions.add(f.result()));
    assertThat(positions).hasSize(1);
    StreamPosition pos = positions.iterator().next();
    assertThat(pos.offset()).isZero();
    assertThat(pos.epoch()).hasSize(Epochs.LENGTH).matches("[A-Za-z0-9]+");

    assertThat(await(storeB.position(channel))).isEqualTo(pos);
    AppendResult r = await(storeA.append(channel, List.of(pub("1"))));
    assertThat(r.top()).isEqualTo(new StreamPosition(1, pos.epoch()));
    assertThat(await(storeA.position(newChannel())).epoch()).isNotEqualTo(pos.epoch());
  }

  @Test
  void readOfUnknownChannelCreatesItAndEmptyAppendConsumesNothing() throws Exception {
    String channel = newChannel();
    HistoryPage page = await(storeA.read(channel, 0, 10, false));
    assertThat(page.publications()).isEmpty();
    assertThat(page.top().offset()).isZero();
    assertThat(await(storeB.position(channel))).isEqualTo(page.top());
    AppendResult empty = await(storeA.append(channel, List.of()));
    assertThat(empty.publications()).isEmpty();
    assertThat(empty.top()).isEqualTo(page.top());
  }

  @Test
  void futuresCompleteOnTheCallersContext() throws Exception {
    String channel = newChannel();
    io.vertx.core.Context ctx = vertx.getOrCreateContext();
    java.util.concurrent.CompletableFuture<List<Boolean>> onContext = new java.util.concurrent.CompletableFuture<>();
    ctx.runOnContext(v -> {
      List<Future<?>> calls = List.of(
          storeA.append(channel, List.of(pub("1"))),
          storeA.appendOnce(channel, pub("2"), "k"),
          storeA.appendOnce(channel, pub("2"), "k"), // the duplicate path (rolled back, recovered)
          storeA.position(newChannel()),
          storeA.read(channel, 0, 10, false),
          storeA.read(newChannel(), 0, 10, true),
          storeA.removeHistory(channel));
      List<Future<Boolean>> checks = calls.stream()
          .map(f -> f.map(r -> io.vertx.core.Vertx.currentContext() == ctx)).toList();
      Future.all(checks).onComplete(ar -> {
        if (ar.failed()) {
          onContext.completeExceptionally(ar.cause());
        } else {
          onContext.complete(checks.stream().map(Future::result).toList());
        }
      });
    });
    assertThat(onContext.get(30, TimeUnit.SECONDS)).containsOnly(true);
  }

  private static List<Long> offsets(HistoryPage page) {
    return page.publications().stream().map(Publication::offset).toList();
  }

  private static long countRows(String channel) throws Exception {
    return await(poolA.preparedQuery("SELECT count(*) FROM publications WHERE channel = $1").execute(Tuple.of(channel)))
        .iterator().next().getLong(0);
  }
}
