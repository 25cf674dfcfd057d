package io.switchboard.outbox;

import io.switchboard.channel.NamespacePolicy;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.config.PayloadConfig;
import io.switchboard.core.PublicationData;
import io.switchboard.history.PgHistoryStore;
import io.switchboard.model.Publication;
import io.switchboard.model.RawJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One ingest step, in one transaction: take the cluster-wide outbox lock, read up to {@code batchSize} pending
 * rows in id order, append them to their channels' streams, mark them published (or rejected with an error),
 * commit. What is to be delivered live is returned, to be dispatched only after the commit.
 *
 * <p>The lock is a transaction-scoped advisory lock, so one node ingests at a time and per-channel order holds
 * across nodes ({@code FOR UPDATE SKIP LOCKED} would let two nodes publish one channel's rows out of order).
 * Under READ COMMITTED each statement sees what committed before it, so a node that waited for the lock reads
 * the rows the previous holder marked.
 */
final class OutboxBatch {
  /** The advisory lock key: "SWOUTBOX" in ASCII. */
  static final long LOCK_KEY = 0x53574F5554424F58L;

  private static final String LOCK = "SELECT true AS locked FROM pg_advisory_xact_lock($1)";
  private static final String PENDING = "SELECT " + OutboxRow.COLUMNS + " FROM switchboard_outbox "
      + "WHERE published_at IS NULL AND error IS NULL ORDER BY id LIMIT $1";
  private static final String SEEN_KEYS = "SELECT DISTINCT idempotency_key FROM switchboard_outbox "
      + "WHERE channel = $1 AND idempotency_key = ANY($2) AND published_at IS NOT NULL";
  private static final String MARK = "UPDATE switchboard_outbox SET published_at = CASE WHEN $3::text IS NULL "
      + "THEN now() END, publish_offset = $2, error = $3 WHERE id = $1";

  /** Publications of one channel to deliver, in order. */
  record Delivery(String channel, List<Publication> pubs) {}

  /** {@code rows}: how many rows the step took (a full batch means more may be waiting). */
  record Result(int rows, int published, int rejected, List<Delivery> deliveries) {}

  private final Pool pool;
  private final NamespacePolicy rules;
  private final PgHistoryStore history;
  private final int batchSize;
  private final PayloadConfig limits;

  OutboxBatch(Pool pool, NamespacePolicy rules, PgHistoryStore history, int batchSize, PayloadConfig limits) {
    this.pool = pool;
    this.rules = rules;
    this.history = history;
    this.batchSize = batchSize;
    this.limits = limits;
  }

  Future<Result> run() {
    return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(Tuple.of(LOCK_KEY))
        .compose(locked -> tx.preparedQuery(PENDING).execute(Tuple.of(batchSize)))
        .compose(rs -> {
          List<OutboxRow> rows = new ArrayList<>(rs.size());
          rs.forEach(r -> rows.add(OutboxRow.of(r)));
          return rows.isEmpty() ? Future.succeededFuture(new Result(0, 0, 0, List.of())) : ingest(tx, rows);
        }));
  }

  private Future<Result> ingest(SqlConnection tx, List<OutboxRow> rows) {
    Map<Long, Tuple> marks = new LinkedHashMap<>();
    // Valid rows by channel, each list in id order; channels in order of their first row.
    Map<String, List<OutboxRow>> byChannel = new LinkedHashMap<>();
    Map<String, List<Publication>> pubsByChannel = new LinkedHashMap<>();
    Map<String, Boolean> durable = new LinkedHashMap<>();
    for (OutboxRow row : rows) {
      NamespaceOptions ns;
      Publication pub;
      try {
        ns = rules.resolve(row.channel());
        pub = new Publication(row.channel(), 0, compact(row.data()), null, tags(row.tags()));
        checkPayload(pub.data());
      } catch (RuntimeException e) {
        marks.put(row.id(), Tuple.of(row.id(), null, reason(e)));
        continue;
      }
      byChannel.computeIfAbsent(row.channel(), c -> new ArrayList<>()).add(row);
      pubsByChannel.computeIfAbsent(row.channel(), c -> new ArrayList<>()).add(pub);
      durable.put(row.channel(), ns.history());
    }
    Map<String, List<Publication>> toDeliver = new LinkedHashMap<>();
    byChannel.keySet().forEach(c -> toDeliver.put(c, List.of()));
    // Stream rows are locked in channel-name order: two ingest transactions never wait on each other's
    // streams anyway (the advisory lock), but a fixed order keeps it deadlock-free by construction.
    Future<Void> chain = Future.succeededFuture();
    for (String channel : new TreeMap<>(byChannel).keySet()) {
      List<OutboxRow> chRows = byChannel.get(channel);
      List<Publication> pubs = pubsByChannel.get(channel);
      List<String> keys = chRows.stream().map(OutboxRow::key).toList();
      if (durable.get(channel)) {
        chain = chain.compose(v -> history.appendInTransaction(tx, channel, pubs, keys).map(r -> {
          for (int i = 0; i < chRows.size(); i++) {
            long id = chRows.get(i).id();
            marks.put(id, Tuple.of(id, r.offsets().get(i), null));
          }
          toDeliver.put(channel, r.appended());
          return null;
        }));
      } else {
        chain = chain.compose(v -> publishedKeys(tx, channel, keys).map(seen -> {
          Set<String> used = new HashSet<>(seen);
          List<Publication> fresh = new ArrayList<>();
          for (int i = 0; i < chRows.size(); i++) {
            String k = keys.get(i);
            if (k == null || used.add(k)) {
              fresh.add(pubs.get(i));
            }
            long id = chRows.get(i).id();
            marks.put(id, Tuple.of(id, null, null));
          }
          toDeliver.put(channel, fresh);
          return null;
        }));
      }
    }
    return chain
        .compose(v -> tx.preparedQuery(MARK).executeBatch(new ArrayList<>(marks.values())))
        .map(done -> {
          List<Delivery> deliveries = new ArrayList<>();
          int published = 0;
          for (Map.Entry<String, List<Publication>> e : toDeliver.entrySet()) {
            if (!e.getValue().isEmpty()) {
              deliveries.add(new Delivery(e.getKey(), e.getValue()));
              published += e.getValue().size();
            }
          }
          int rejected = (int) marks.values().stream().filter(t -> t.getString(2) != null).count();
          return new Result(rows.size(), published, rejected, Collections.unmodifiableList(deliveries));
        });
  }

  /** Keys of a channel without history that earlier outbox rows already published. */
  private static Future<Set<String>> publishedKeys(SqlConnection tx, String channel, List<String> keys) {
    String[] distinct = keys.stream().filter(k -> k != null).distinct().toArray(String[]::new);
    if (distinct.length == 0) {
      return Future.succeededFuture(Set.of());
    }
    Tuple args = Tuple.tuple().addString(channel).addArrayOfString(distinct);
    return tx.preparedQuery(SEEN_KEYS).execute(args).map(rs -> {
      Set<String> seen = new HashSet<>();
      rs.forEach(r -> seen.add(r.getString("idempotency_key")));
      return seen;
    });
  }

  /** The data as the protocol carries it: compact JSON, key order kept (PostgreSQL's json keeps the text). */
  private static String compact(String data) {
    try {
      return RawJson.encode(RawJson.parse(data));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("data is not JSON the server can carry: " + e.getMessage(), e);
    }
  }

  /** Data over the {@code payload} limits: the row is rejected with the reason, like data that is not JSON. */
  private void checkPayload(byte[] data) {
    try {
      PublicationData.check(data, true, limits);
    } catch (io.switchboard.model.CoreException e) {
      throw new IllegalArgumentException(e.detail());
    }
  }

  private static Map<String, String> tags(String json) {
    if (json == null) {
      return Map.of();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    new JsonObject(json).forEach(e -> {
      Object v = e.getValue();
      tags.put(e.getKey(), v == null ? null : v instanceof String s ? s : RawJson.encode(v));
    });
    return Collections.unmodifiableMap(tags);
  }

  private static String reason(RuntimeException e) {
    if (e instanceof io.switchboard.model.CoreException c) {
      return "channel rejected: " + io.switchboard.protocol.ErrorCode.reply(c).code() + " " + io.switchboard.protocol.ErrorCode.reply(c).message();
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
