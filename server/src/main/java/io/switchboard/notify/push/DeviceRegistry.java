package io.switchboard.notify.push;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The push devices of every platform ({@code push_devices}), for the client RPCs and the server API; reactive,
 * safe on an event loop. A (platform, token) pair is one app install or browser profile: registering it for
 * another user moves it there under a new id, so a job queued for the old owner can't reach it (a shared phone
 * must not get the previous user's messages). A user keeps at most {@link #MAX_PER_USER} devices; the least
 * recently registered go first (apps re-register on start, and dead tokens would otherwise pile up until a push
 * finds them gone).
 */
public final class DeviceRegistry {
  public static final int MAX_PER_USER = 20;
  public static final int MAX_TOKEN_LENGTH = 4096;
  public static final int MAX_TOPICS = 100;
  public static final int MAX_TOPIC_LENGTH = 256;
  public static final int MAX_META_BYTES = 4096;

  /** What registering sets; {@code id} null for a new device, {@code topics}/{@code meta} null to keep them. */
  public record Registration(String id, String user, String platform, String token, String p256dh, String auth,
      List<String> topics, JsonObject meta) {}

  public record Device(String id, String user, String platform, String token, List<String> topics, JsonObject meta,
      OffsetDateTime createdAt, OffsetDateTime updatedAt) {}

  /** Which devices: any that matches every non-empty list (all devices when every list is empty). */
  public record Filter(List<String> ids, List<String> users, List<String> topics, List<String> platforms) {}

  public record Page(List<Device> items, String nextCursor, Long total) {}

  private static final String COLUMNS = "id, user_id, platform, token, topics, meta, created_at, updated_at";
  private static final String MATCH = "(cardinality($1::text[]) = 0 OR id = ANY ($1::text[])) "
      + "AND (cardinality($2::text[]) = 0 OR user_id = ANY ($2::text[])) "
      + "AND (cardinality($3::text[]) = 0 OR topics && $3::text[]) "
      + "AND (cardinality($4::text[]) = 0 OR platform = ANY ($4::text[]))";

  private final Pool pool;

  public DeviceRegistry(Pool pool) {
    this.pool = pool;
  }

  /** Stores the device for its user; completes with its id. */
  public Future<String> register(Registration r) {
    String[] topics = r.topics() == null ? null : r.topics().toArray(String[]::new);
    String meta = r.meta() == null ? null : r.meta().encode();
    return pool.withTransaction(c -> {
      Future<RowSet<Row>> moved = r.id() == null
          ? c.preparedQuery("DELETE FROM push_devices WHERE platform = $1 AND token = $2 AND user_id <> $3")
              .execute(Tuple.of(r.platform(), r.token(), r.user()))
          : c.preparedQuery("DELETE FROM push_devices WHERE platform = $1 AND token = $2 AND id <> $3")
              .execute(Tuple.of(r.platform(), r.token(), r.id()));
      String upsert = r.id() == null
          ? "INSERT INTO push_devices (user_id, platform, token, p256dh, auth, topics, meta) "
              + "VALUES ($1, $2, $3, $4, $5, COALESCE($6::text[], '{}'), COALESCE($7::jsonb, '{}')) "
              + "ON CONFLICT (platform, token) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, "
              + "topics = COALESCE($6::text[], push_devices.topics), meta = COALESCE($7::jsonb, push_devices.meta), "
              + "updated_at = now() RETURNING id"
          : "INSERT INTO push_devices (id, user_id, platform, token, p256dh, auth, topics, meta) "
              + "VALUES ($8, $1, $2, $3, $4, $5, COALESCE($6::text[], '{}'), COALESCE($7::jsonb, '{}')) "
              + "ON CONFLICT (id) DO UPDATE SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform, "
              + "token = EXCLUDED.token, p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, "
              + "topics = COALESCE($6::text[], push_devices.topics), meta = COALESCE($7::jsonb, push_devices.meta), "
              + "updated_at = now() RETURNING id";
      Tuple args = Tuple.of(r.user(), r.platform(), r.token(), r.p256dh(), r.auth(), topics, meta);
      if (r.id() != null) {
        args.addString(r.id());
      }
      return moved.compose(x -> c.preparedQuery(upsert).execute(args))
          .map(rows -> rows.iterator().next().getString(0))
          .compose(id -> c.preparedQuery("DELETE FROM push_devices WHERE id IN (SELECT id FROM push_devices "
                  + "WHERE user_id = $1 ORDER BY updated_at DESC, id DESC OFFSET $2)")
              .execute(Tuple.of(r.user(), MAX_PER_USER)).map(id));
    });
  }

  /** The user's own device, by id or by (platform, token); true when there was one. */
  public Future<Boolean> unregister(String user, String id, String platform, String token) {
    return pool.preparedQuery("DELETE FROM push_devices WHERE user_id = $1 AND (id = $2 OR (platform = $3 "
            + "AND token = $4))")
        .execute(Tuple.of(user, id, platform, token))
        .map(r -> r.rowCount() > 0);
  }

  /** Deletes the devices with these ids or of these users; how many. */
  public Future<Integer> remove(List<String> ids, List<String> users) {
    return pool.preparedQuery("DELETE FROM push_devices WHERE id = ANY ($1::text[]) OR user_id = ANY ($2::text[])")
        .execute(Tuple.tuple().addValue(ids.toArray(String[]::new)).addValue(users.toArray(String[]::new)))
        .map(RowSet::rowCount);
  }

  /**
   * Changes the devices with these ids or of these users: owner ({@code user} not null), meta (replaced when not
   * null) and topics ({@code op} add, remove or set; null to keep). How many changed.
   */
  public Future<Integer> update(List<String> ids, List<String> users, String user, JsonObject meta, String op,
      List<String> topics) {
    return pool.preparedQuery("UPDATE push_devices SET user_id = COALESCE($3, user_id), "
            + "meta = COALESCE($4::jsonb, meta), topics = " + topicsExpression("$5", "$6") + ", updated_at = now() "
            + "WHERE id = ANY ($1::text[]) OR user_id = ANY ($2::text[])")
        .execute(Tuple.of(ids.toArray(String[]::new), users.toArray(String[]::new), user,
            meta == null ? null : meta.encode(), op, topics == null ? new String[0] : topics.toArray(String[]::new)))
        .map(RowSet::rowCount);
  }

  /**
   * Changes one device's topics; with {@code owner} not null only if it belongs to that user. False when there
   * is no such device (of that owner).
   */
  public Future<Boolean> updateTopics(String id, String owner, String op, List<String> topics) {
    return pool.preparedQuery("UPDATE push_devices SET topics = " + topicsExpression("$3", "$4")
            + ", updated_at = now() WHERE id = $1 AND ($2::text IS NULL OR user_id = $2)")
        .execute(Tuple.of(id, owner, op, topics.toArray(String[]::new)))
        .map(r -> r.rowCount() > 0);
  }

  private static String topicsExpression(String op, String list) {
    return "CASE " + op + "::text WHEN 'set' THEN ARRAY(SELECT DISTINCT t FROM unnest(" + list + "::text[]) t ORDER BY t) "
        + "WHEN 'add' THEN ARRAY(SELECT DISTINCT t FROM unnest(topics || " + list + "::text[]) t ORDER BY t) "
        + "WHEN 'remove' THEN ARRAY(SELECT t FROM unnest(topics) t WHERE NOT t = ANY (" + list + "::text[]) ORDER BY t) "
        + "ELSE topics END";
  }

  /** A page of matching devices in id order, after {@code cursor} (the previous page's last id, or empty). */
  public Future<Page> list(Filter f, String cursor, int limit, boolean total) {
    Tuple args = Tuple.of(f.ids().toArray(String[]::new), f.users().toArray(String[]::new),
        f.topics().toArray(String[]::new), f.platforms().toArray(String[]::new), cursor == null ? "" : cursor,
        limit + 1);
    Future<RowSet<Row>> page = pool.preparedQuery("SELECT " + COLUMNS + " FROM push_devices WHERE " + MATCH
        + " AND id > $5 ORDER BY id LIMIT $6").execute(args);
    Future<Long> count = !total ? Future.succeededFuture(null)
        : pool.preparedQuery("SELECT count(*) FROM push_devices WHERE " + MATCH)
            .execute(Tuple.of(args.getValue(0), args.getValue(1), args.getValue(2), args.getValue(3)))
            .map(rows -> rows.iterator().next().getLong(0));
    return Future.all(page, count).map(v -> {
      List<Device> items = new ArrayList<>();
      for (Row r : page.result()) {
        items.add(device(r));
      }
      String next = "";
      if (items.size() > limit) {
        items = items.subList(0, limit);
        next = items.get(limit - 1).id();
      }
      return new Page(List.copyOf(items), next, count.result());
    });
  }

  private static Device device(Row r) {
    String[] topics = r.getArrayOfStrings("topics");
    Object meta = r.getValue("meta");
    return new Device(r.getString("id"), r.getString("user_id"), r.getString("platform"), r.getString("token"),
        topics == null ? List.of() : List.of(topics), meta instanceof JsonObject o ? o : new JsonObject(),
        r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"));
  }
}
