package io.switchboard.history;

import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.model.StreamPosition;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link HistoryStore} over the reactive PostgreSQL pool (no JDBC at run time).
 *
 * <p>Sequencing: an append first upserts its stream row ({@code top = top + n}), which takes that row's lock until
 * commit. Appenders of one channel therefore run one after another: offsets are gap-free, and commit order is
 * offset order, so a reader that sees top T also sees every publication up to T.
 *
 * <p>Storage: {@code data} is kept as the exact bytes given ({@code bytea}) with {@code data_json} saying whether
 * they are JSON text; {@code info} as {@link ClientInfo#toJson()} text; {@code tags} as a JSON object, or null
 * when empty.
 */
public final class PgHistoryStore implements HistoryStore {

  private static final String BUMP_TOP = "INSERT INTO streams (channel, top, epoch) VALUES ($1, $2, $3) "
      + "ON CONFLICT (channel) DO UPDATE SET top = streams.top + EXCLUDED.top RETURNING top, epoch";
  // Appends to many channels in ONE statement, so one round trip and one implicit transaction: bump each
  // stream's top by its count (row locks taken in channel order, like the bulk append, so concurrent batches
  // cannot deadlock), then insert every publication at top - back, where back counts from its channel's top.
  private static final String APPEND_ALL = "WITH bumped AS (INSERT INTO streams (channel, top, epoch) "
      + "SELECT c, n, e FROM unnest($1::text[], $2::bigint[], $3::text[]) AS t(c, n, e) ORDER BY c "
      + "ON CONFLICT (channel) DO UPDATE SET top = streams.top + EXCLUDED.top RETURNING channel, top, epoch), "
      + "ins AS (INSERT INTO publications (channel, \"offset\", data, data_json, info, tags) "
      + "SELECT p.c, b.top - p.back, p.d, p.j, p.i, p.t "
      + "FROM unnest($4::text[], $5::bigint[], $6::bytea[], $7::boolean[], $8::text[], $9::text[]) "
      + "AS p(c, back, d, j, i, t) "
      + "JOIN bumped b ON b.channel = p.c) "
      + "SELECT channel, top, epoch FROM bumped";
  private static final String INSERT_PUBLICATION = "INSERT INTO publications "
      + "(channel, \"offset\", data, data_json, info, tags, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7)";
  private static final String FIND_BY_KEY = "SELECT \"offset\", data, data_json, info, tags FROM publications "
      + "WHERE channel = $1 AND idempotency_key = $2";
  private static final String SELECT_STREAM = "SELECT top, epoch FROM streams WHERE channel = $1";
  private static final String SELECT_STREAMS = "SELECT channel, top, epoch FROM streams WHERE channel = ANY($1)";
  /** Creates the missing streams of a batch; each gets its own fresh epoch. Sorted: row locks in one order. */
  private static final String CREATE_STREAMS = "INSERT INTO streams (channel, top, epoch) "
      + "SELECT c, 0, e FROM unnest($1::text[], $2::text[]) AS t(c, e) ORDER BY c ON CONFLICT (channel) DO NOTHING";
  private static final String CREATE_STREAM = "INSERT INTO streams (channel, top, epoch) VALUES ($1, 0, $2) "
      + "ON CONFLICT (channel) DO NOTHING RETURNING top, epoch";
  // One statement, one snapshot: the page is read against the top it returns.
  private static final String READ_FORWARD = "SELECT s.top, s.epoch, p.\"offset\", p.data, p.data_json, p.info, p.tags "
      + "FROM streams s LEFT JOIN LATERAL (SELECT \"offset\", data, data_json, info, tags FROM publications p "
      + "WHERE p.channel = s.channel AND p.\"offset\" > $2 AND p.\"offset\" <= s.top "
      + "ORDER BY p.\"offset\" ASC LIMIT $3) p ON true WHERE s.channel = $1 ORDER BY p.\"offset\" ASC";
  private static final String READ_REVERSE = "SELECT s.top, s.epoch, p.\"offset\", p.data, p.data_json, p.info, p.tags "
      + "FROM streams s LEFT JOIN LATERAL (SELECT \"offset\", data, data_json, info, tags FROM publications p "
      + "WHERE p.channel = s.channel AND p.\"offset\" < $2 AND p.\"offset\" <= s.top "
      + "ORDER BY p.\"offset\" DESC LIMIT $3) p ON true WHERE s.channel = $1 ORDER BY p.\"offset\" DESC";
  // Bulk append (appendToEach): one statement per step, whatever the number of channels. The ORDER BY makes
  // the upsert lock the stream rows in channel order.
  private static final String BULK_BUMP = "INSERT INTO streams (channel, top, epoch) "
      + "SELECT t.channel, 1, t.epoch FROM unnest($1::text[], $2::text[]) AS t(channel, epoch) ORDER BY t.channel "
      + "ON CONFLICT (channel) DO UPDATE SET top = streams.top + 1 RETURNING channel, top, epoch";
  private static final String BULK_INSERT = "INSERT INTO publications (channel, \"offset\", data, data_json, tags) "
      + "SELECT t.channel, t.off, $3, $5, $4 FROM unnest($1::text[], $2::bigint[]) AS t(channel, off)";
  // Taken first: a concurrent call with the same key waits here until the first one commits or rolls back.
  private static final String CLAIM_KEY = "INSERT INTO api_idempotency (method, idempotency_key) VALUES ($1, $2) "
      + "ON CONFLICT DO NOTHING RETURNING method";
  private static final String FIND_RESPONSE = "SELECT response FROM api_idempotency "
      + "WHERE method = $1 AND idempotency_key = $2";
  private static final String SAVE_RESPONSE = "UPDATE api_idempotency SET response = $3 "
      + "WHERE method = $1 AND idempotency_key = $2";
  private static final String REMOVE_HISTORY = "DELETE FROM publications WHERE channel = $1";
  private static final String FIND_BY_KEYS = "SELECT idempotency_key, \"offset\" FROM publications "
      + "WHERE channel = $1 AND idempotency_key = ANY($2)";

  private final Pool pool;

  public PgHistoryStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<AppendResult> append(String channel, List<Publication> publications) {
    if (publications.isEmpty()) {
      return position(channel).map(top -> new AppendResult(top, List.of(), false));
    }
    return appendAll(Map.of(channel, publications)).map(results -> results.get(channel));
  }

  @Override
  public Future<Map<String, AppendResult>> appendAll(Map<String, List<Publication>> byChannel) {
    int channels = 0;
    int total = 0;
    for (List<Publication> pubs : byChannel.values()) {
      if (!pubs.isEmpty()) {
        channels++;
        total += pubs.size();
      }
    }
    if (channels == 0) {
      return Future.succeededFuture(Map.of());
    }
    String[] names = new String[channels];
    Long[] counts = new Long[channels];
    String[] epochs = new String[channels];
    String[] pubChannel = new String[total];
    Long[] back = new Long[total];
    Buffer[] data = new Buffer[total];
    Boolean[] json = new Boolean[total];
    String[] info = new String[total];
    String[] tags = new String[total];
    int c = 0;
    int i = 0;
    for (Map.Entry<String, List<Publication>> e : byChannel.entrySet()) {
      List<Publication> pubs = e.getValue();
      int n = pubs.size();
      if (n == 0) {
        continue;
      }
      names[c] = e.getKey();
      counts[c] = (long) n;
      epochs[c] = Epochs.newEpoch(); // used only if the stream is new
      c++;
      for (int k = 0; k < n; k++, i++) {
        Publication p = pubs.get(k);
        pubChannel[i] = e.getKey();
        back[i] = (long) (n - 1 - k);
        data[i] = Buffer.buffer(p.data());
        json[i] = p.json();
        info[i] = encodeInfo(p.info());
        tags[i] = encodeTags(tagsOf(p));
      }
    }
    Tuple args = Tuple.tuple().addArrayOfString(names).addArrayOfLong(counts).addArrayOfString(epochs)
        .addArrayOfString(pubChannel).addArrayOfLong(back).addArrayOfBuffer(data).addArrayOfBoolean(json)
        .addArrayOfString(info).addArrayOfString(tags);
    return pool.preparedQuery(APPEND_ALL).execute(args).map(rs -> {
      Map<String, AppendResult> out = new java.util.HashMap<>(rs.size() * 2);
      for (Row r : rs) {
        String channel = r.getString("channel");
        StreamPosition top = positionOf(r);
        List<Publication> pubs = byChannel.get(channel);
        int n = pubs.size();
        List<Publication> stored = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
          Publication p = pubs.get(k);
          stored.add(new Publication(channel, top.offset() - (n - 1 - k), p.data(), p.json(), p.info(), tagsOf(p)));
        }
        out.put(channel, new AppendResult(top, Collections.unmodifiableList(stored), false));
      }
      return out;
    });
  }

  @Override
  public Future<AppendResult> appendOnce(String channel, Publication publication, String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isEmpty()) {
      return append(channel, List.of(publication));
    }
    return pool.<AppendResult>withTransaction(conn -> bumpTop(conn, channel, 1).compose(top ->
        // Holding the stream row lock: a concurrent call with the same key has committed (and is visible to
        // this next statement) or has not started its insert yet.
        conn.preparedQuery(FIND_BY_KEY).execute(Tuple.of(channel, idempotencyKey)).compose(found -> {
          if (found.size() > 0) {
            Publication original = publicationOf(channel, found.iterator().next());
            // Fail so that withTransaction rolls back: the duplicate must not consume an offset.
            return Future.failedFuture(new Duplicate(new AppendResult(
                new StreamPosition(top.offset() - 1, top.epoch()), List.of(original), true)));
          }
          Publication stored = new Publication(channel, top.offset(), publication.data(), publication.json(),
              publication.info(), tagsOf(publication));
          return conn.preparedQuery(INSERT_PUBLICATION).execute(row(stored, idempotencyKey))
              .map(rs -> new AppendResult(top, List.of(stored), false));
        })))
        .recover(err -> err instanceof Duplicate d ? Future.succeededFuture(d.result) : Future.failedFuture(err));
  }

  /**
   * Where each publication given to {@link #appendInTransaction} is: {@code offsets.get(i)} is the offset of
   * the i-th one, its new offset or, when {@code duplicates.get(i)}, the offset of the publication that already
   * had its idempotency key. {@code appended} holds the new publications only, in order.
   */
  public record TxAppend(StreamPosition top, List<Publication> appended, List<Long> offsets,
      List<Boolean> duplicates) {}

  /**
   * Appends publications to one channel inside the caller's transaction {@code tx} (which commits or rolls
   * back), with the same sequencing as {@link #append}. {@code keys} are idempotency keys, one per publication
   * (null for none): a key already in the channel's history, or repeated within the call, is a duplicate and
   * takes no offset, as with {@link #appendOnce}. The stream row stays locked until {@code tx} ends.
   */
  public Future<TxAppend> appendInTransaction(SqlConnection tx, String channel, List<Publication> publications,
      List<String> keys) {
    if (keys.size() != publications.size()) {
      return Future.failedFuture(new IllegalArgumentException("one key (or null) per publication"));
    }
    List<String> distinctKeys = keys.stream().filter(k -> k != null && !k.isEmpty()).distinct().toList();
    Future<Map<String, Long>> known = distinctKeys.isEmpty()
        ? Future.succeededFuture(Map.of())
        // Lock the stream row first (top + 0): a concurrent appendOnce with one of these keys has then either
        // committed, and the lookup sees it, or not yet inserted.
        : bumpTop(tx, channel, 0).compose(locked -> tx.preparedQuery(FIND_BY_KEYS)
            .execute(Tuple.tuple().addString(channel).addArrayOfString(distinctKeys.toArray(new String[0])))
            .map(rs -> {
              Map<String, Long> found = new java.util.HashMap<>();
              rs.forEach(r -> found.put(r.getString("idempotency_key"), r.getLong("offset")));
              return found;
            }));
    return known.compose(found -> {
      int n = publications.size();
      // -1 - i: the i-th new publication of this call (its offset is known after the bump).
      Map<String, Long> byKey = new java.util.HashMap<>(found);
      long[] slot = new long[n];
      List<Integer> fresh = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String k = keys.get(i);
        boolean keyed = k != null && !k.isEmpty();
        if (keyed && byKey.containsKey(k)) {
          slot[i] = byKey.get(k);
        } else {
          slot[i] = -1L - fresh.size();
          if (keyed) {
            byKey.put(k, slot[i]);
          }
          fresh.add(i);
        }
      }
      int m = fresh.size();
      return bumpTop(tx, channel, m).compose(top -> {
        long first = top.offset() - m + 1;
        List<Publication> stored = new ArrayList<>(m);
        List<Tuple> rows = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
          int i = fresh.get(j);
          Publication p = publications.get(i);
          Publication withOffset = new Publication(channel, first + j, p.data(), p.json(), p.info(), tagsOf(p));
          stored.add(withOffset);
          rows.add(row(withOffset, keys.get(i) == null || keys.get(i).isEmpty() ? null : keys.get(i)));
        }
        List<Long> offsets = new ArrayList<>(n);
        List<Boolean> duplicates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          boolean dup = slot[i] >= 0 || fresh.get((int) (-1L - slot[i])) != i;
          offsets.add(slot[i] >= 0 ? slot[i] : first + (-1L - slot[i]));
          duplicates.add(dup);
        }
        TxAppend result = new TxAppend(top, Collections.unmodifiableList(stored),
            Collections.unmodifiableList(offsets), Collections.unmodifiableList(duplicates));
        if (m == 0) {
          return Future.succeededFuture(result);
        }
        return tx.preparedQuery(INSERT_PUBLICATION).executeBatch(rows).map(rs -> result);
      });
    });
  }

  @Override
  public Future<BulkAppendResult> appendToEach(List<String> channels, byte[] data, boolean json,
      Map<String, String> tags, Once once, InTransaction also) {
    if (once == null || once.key() == null || once.key().isEmpty()) {
      if (channels.isEmpty()) {
        return Future.succeededFuture(new BulkAppendResult(List.of(), null, false));
      }
      return pool.withTransaction(conn -> bulkAppend(conn, channels, data, json, tags)
              .compose(results -> also.run(conn, results).map(v -> results)))
          .map(results -> new BulkAppendResult(results, null, false));
    }
    return pool.<BulkAppendResult>withTransaction(conn ->
        conn.preparedQuery(CLAIM_KEY).execute(Tuple.of(once.scope(), once.key())).compose(claimed -> {
          if (claimed.size() == 0) {
            // Used before (and committed, since the claim waited for it): roll back and answer as then.
            return conn.preparedQuery(FIND_RESPONSE).execute(Tuple.of(once.scope(), once.key())).compose(found -> {
              String response = found.size() == 0 ? null : found.iterator().next().getString("response");
              if (response == null) {
                return Future.failedFuture(new IllegalStateException("idempotency key without a stored response"));
              }
              return Future.failedFuture(new BulkDuplicate(new BulkAppendResult(null, response, true)));
            });
          }
          Future<List<AppendResult>> appended = channels.isEmpty()
              ? Future.succeededFuture(List.of())
              : bulkAppend(conn, channels, data, json, tags);
          return appended.compose(results -> also.run(conn, results).map(v -> results)).compose(results -> {
            String response = once.response().apply(results);
            return conn.preparedQuery(SAVE_RESPONSE).execute(Tuple.of(once.scope(), once.key(), response))
                .map(rs -> new BulkAppendResult(results, response, false));
          });
        }))
        .recover(err -> err instanceof BulkDuplicate d ? Future.succeededFuture(d.result) : Future.failedFuture(err));
  }

  /** The two statements of a bulk append: bump every stream top (in channel order), insert every row. */
  private static Future<List<AppendResult>> bulkAppend(SqlConnection conn, List<String> channels, byte[] data,
      boolean json, Map<String, String> tags) {
    int n = channels.size();
    String[] names = channels.toArray(String[]::new);
    String[] epochs = new String[n];
    for (int i = 0; i < n; i++) {
      epochs[i] = Epochs.newEpoch();
    }
    Tuple bump = Tuple.tuple().addArrayOfString(names).addArrayOfString(epochs);
    return conn.preparedQuery(BULK_BUMP).execute(bump).compose(rs -> {
      Map<String, StreamPosition> tops = new java.util.HashMap<>(n * 2);
      for (Row r : rs) {
        tops.put(r.getString("channel"), positionOf(r));
      }
      if (tops.size() != n) {
        return Future.failedFuture(new IllegalArgumentException("channels must be distinct"));
      }
      Long[] offsets = new Long[n];
      List<AppendResult> results = new ArrayList<>(n);
      Map<String, String> tagMap = tags == null ? Map.of() : tags;
      byte[] bytes = data; // one array shared by every channel's publication
      for (int i = 0; i < n; i++) {
        StreamPosition top = tops.get(names[i]);
        offsets[i] = top.offset();
        results.add(new AppendResult(top,
            List.of(new Publication(names[i], top.offset(), bytes, json, null, tagMap)), false));
      }
      Tuple insert = Tuple.tuple().addArrayOfString(names).addArrayOfLong(offsets).addBuffer(Buffer.buffer(bytes))
          .addString(encodeTags(tagMap)).addBoolean(json);
      return conn.preparedQuery(BULK_INSERT).execute(insert)
          .map(done -> Collections.unmodifiableList(results));
    });
  }

  @Override
  public Future<StreamPosition> position(String channel) {
    return pool.preparedQuery(SELECT_STREAM).execute(Tuple.of(channel)).compose(rs -> {
      if (rs.size() > 0) {
        return Future.succeededFuture(positionOf(rs.iterator().next()));
      }
      // ON CONFLICT DO NOTHING waits for a concurrent creator to commit; then the SELECT sees its epoch.
      return pool.preparedQuery(CREATE_STREAM).execute(Tuple.of(channel, Epochs.newEpoch())).compose(created -> {
        if (created.size() > 0) {
          return Future.succeededFuture(positionOf(created.iterator().next()));
        }
        return pool.preparedQuery(SELECT_STREAM).execute(Tuple.of(channel))
            .map(again -> positionOf(again.iterator().next()));
      });
    });
  }

  @Override
  public Future<java.util.Map<String, StreamPosition>> positions(List<String> channels) {
    String[] names = channels.toArray(String[]::new);
    return pool.preparedQuery(SELECT_STREAMS).execute(Tuple.tuple().addArrayOfString(names)).compose(rs -> {
      java.util.Map<String, StreamPosition> out = new java.util.HashMap<>();
      for (Row r : rs) {
        out.put(r.getString("channel"), new StreamPosition(r.getLong("top"), r.getString("epoch")));
      }
      if (out.size() == channels.size()) {
        return Future.succeededFuture(out);
      }
      List<String> missing = new java.util.ArrayList<>();
      for (String c : channels) {
        if (!out.containsKey(c)) {
          missing.add(c);
        }
      }
      String[] epochs = new String[missing.size()];
      for (int i = 0; i < epochs.length; i++) {
        epochs[i] = Epochs.newEpoch();
      }
      // ON CONFLICT DO NOTHING waits for concurrent creators; the SELECT after it sees every epoch.
      return pool.preparedQuery(CREATE_STREAMS)
          .execute(Tuple.tuple().addArrayOfString(missing.toArray(String[]::new)).addArrayOfString(epochs))
          .compose(created -> pool.preparedQuery(SELECT_STREAMS)
              .execute(Tuple.tuple().addArrayOfString(missing.toArray(String[]::new))))
          .map(again -> {
            for (Row r : again) {
              out.put(r.getString("channel"), new StreamPosition(r.getLong("top"), r.getString("epoch")));
            }
            return out;
          });
    });
  }

  @Override
  public Future<HistoryPage> read(String channel, long afterOffset, int limit, boolean reverse) {
    if (limit < 0) {
      return Future.failedFuture(new IllegalArgumentException("limit must be at least 0, got " + limit));
    }
    if (afterOffset < 0) {
      return Future.failedFuture(new IllegalArgumentException("offset must be at least 0, got " + afterOffset));
    }
    String sql = reverse ? READ_REVERSE : READ_FORWARD;
    long bound = reverse && afterOffset == 0 ? Long.MAX_VALUE : afterOffset;
    return pool.preparedQuery(sql).execute(Tuple.of(channel, bound, (long) limit)).compose(rs -> {
      if (rs.size() == 0) {
        // No stream yet: create it so that its epoch is fixed from now on.
        return position(channel).map(top -> new HistoryPage(List.of(), top));
      }
      StreamPosition top = null;
      List<Publication> page = new ArrayList<>(rs.size());
      for (Row r : rs) {
        if (top == null) {
          top = positionOf(r);
        }
        if (r.getLong("offset") != null) {
          page.add(publicationOf(channel, r));
        }
      }
      return Future.succeededFuture(new HistoryPage(Collections.unmodifiableList(page), top));
    });
  }

  @Override
  public Future<Void> removeHistory(String channel) {
    return pool.preparedQuery(REMOVE_HISTORY).execute(Tuple.of(channel)).mapEmpty();
  }

  private static Future<StreamPosition> bumpTop(SqlConnection conn, String channel, int n) {
    return conn.preparedQuery(BUMP_TOP).execute(Tuple.of(channel, (long) n, Epochs.newEpoch()))
        .map(rs -> positionOf(rs.iterator().next()));
  }

  private static StreamPosition positionOf(Row r) {
    return new StreamPosition(r.getLong("top"), r.getString("epoch"));
  }

  private static Tuple row(Publication p, String idempotencyKey) {
    return Tuple.of(p.channel(), p.offset(), Buffer.buffer(p.data()), p.json(), encodeInfo(p.info()),
        encodeTags(p.tags()), idempotencyKey);
  }

  static Publication publicationOf(String channel, Row r) {
    return new Publication(channel, r.getLong("offset"), r.getBuffer("data").getBytes(), r.getBoolean("data_json"),
        decodeInfo(r.getString("info")), decodeTags(r.getString("tags")));
  }

  private static Map<String, String> tagsOf(Publication p) {
    return p.tags() == null ? Map.of() : p.tags();
  }

  static String encodeInfo(ClientInfo info) {
    return info == null ? null : info.encoded();
  }

  static ClientInfo decodeInfo(String text) {
    return text == null ? null : ClientInfo.fromJson(new JsonObject(text));
  }

  static String encodeTags(Map<String, String> tags) {
    if (tags == null || tags.isEmpty()) {
      return null;
    }
    JsonObject o = new JsonObject();
    tags.forEach(o::put);
    return o.encode();
  }

  static Map<String, String> decodeTags(String text) {
    if (text == null) {
      return Map.of();
    }
    Map<String, String> tags = new LinkedHashMap<>();
    new JsonObject(text).forEach(e -> tags.put(e.getKey(), e.getValue() == null ? null : e.getValue().toString()));
    return Collections.unmodifiableMap(tags);
  }

  /** Carries a duplicate bulk call's stored response out of the transaction, which it rolls back. */
  private static final class BulkDuplicate extends RuntimeException {
    final BulkAppendResult result;

    BulkDuplicate(BulkAppendResult result) {
      super("duplicate idempotency key", null, false, false);
      this.result = result;
    }
  }

  /** Carries a duplicate's result out of the transaction, which it rolls back. */
  private static final class Duplicate extends RuntimeException {
    final AppendResult result;

    Duplicate(AppendResult result) {
      super("duplicate idempotency key", null, false, false);
      this.result = result;
    }
  }
}
