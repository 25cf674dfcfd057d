package io.switchboard.webhook;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL of cluster-wide transitions (see V8__webhooks.sql). One statement applies a node's batch of changes:
 * its holder rows go in or out, the counters of their keys move (upserts in key order, so concurrent batches of
 * several nodes cannot deadlock), and each key that went from 0 to 1 holder or from 1 to 0 enqueues its event
 * for every target. Applying the same batch twice changes nothing the second time (a holder row is inserted
 * or deleted at most once), so a batch whose outcome is unknown is simply applied again.
 */
final class TransitionStore {
  /** From the node's changed holder rows ({@code changed}: scope, channel, usr, delta) to enqueued events. */
  private static final String COUNT_AND_ENQUEUE = """
      , counted AS (
        INSERT INTO webhook_keys AS k (scope, channel, usr, holders)
        SELECT scope, channel, usr, delta FROM changed ORDER BY scope, channel, usr
        ON CONFLICT (scope, channel, usr) DO UPDATE SET holders = k.holders + EXCLUDED.holders
        RETURNING k.scope, k.channel, k.usr, k.holders)
      , events AS MATERIALIZED (
        SELECT gen_random_uuid() AS event_id, nextval('webhook_event_seq') AS seq, c.channel, c.usr,
          CASE c.scope || (CASE WHEN ch.delta > 0 THEN '+' ELSE '-' END)
            WHEN 'c+' THEN 'channel_occupied' WHEN 'c-' THEN 'channel_vacated'
            WHEN 'm+' THEN 'member_added' WHEN 'm-' THEN 'member_removed'
            WHEN 'u+' THEN 'client_connected' ELSE 'client_disconnected' END AS type
        FROM counted c JOIN changed ch USING (scope, channel, usr)
        WHERE (ch.delta > 0 AND c.holders = 1) OR (ch.delta < 0 AND c.holders = 0))
      , queued AS (
        INSERT INTO webhook_queue (event_id, seq, target, type, channel, usr)
        SELECT DISTINCT e.event_id, e.seq, t.target, e.type, e.channel, e.usr
        FROM events e JOIN unnest($%d::text[], $%d::text[], $%d::text[]) AS t(target, prefix, type)
          ON e.type = t.type AND starts_with(e.channel, t.prefix)
        RETURNING 1)
      SELECT (SELECT count(*) FROM queued) AS queued
      """;

  private static final String APPLY = """
      WITH d AS (
        SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS d(scope, channel, usr, delta))
      , ins AS (
        INSERT INTO webhook_holders (scope, channel, usr, node)
        SELECT scope, channel, usr, $1 FROM d WHERE delta > 0
        ON CONFLICT DO NOTHING
        RETURNING scope, channel, usr, 1 AS delta)
      , del AS (
        DELETE FROM webhook_holders h USING d
        WHERE d.delta < 0 AND h.node = $1 AND h.scope = d.scope AND h.channel = d.channel AND h.usr = d.usr
        RETURNING h.scope, h.channel, h.usr, -1 AS delta)
      , changed AS (SELECT * FROM ins UNION ALL SELECT * FROM del)
      """ + COUNT_AND_ENQUEUE.formatted(6, 7, 8);

  /** A node is gone: every key it held loses it; the keys it was the last holder of enqueue their removal. */
  private static final String RELEASE_NODE = """
      WITH changed AS (
        DELETE FROM webhook_holders WHERE node = $1 RETURNING scope, channel, usr, -1 AS delta)
      """ + COUNT_AND_ENQUEUE.formatted(2, 3, 4);

  private final Pool pool;
  private final WebhookTarget.Routes routes;

  /** Every event of {@code events} to every target, whatever the channel. */
  TransitionStore(Pool pool, List<String> targets, List<String> events) {
    this(pool, WebhookTarget.Routes.everywhere(targets, events));
  }

  TransitionStore(Pool pool, WebhookTarget.Routes routes) {
    this.pool = pool;
    this.routes = routes;
  }

  /** Applies one node's changes; yields the number of queue rows enqueued. */
  Future<Long> apply(String node, List<Occupancy.Change> changes) {
    int n = changes.size();
    String[] scope = new String[n];
    String[] channel = new String[n];
    String[] usr = new String[n];
    Integer[] delta = new Integer[n];
    for (int i = 0; i < n; i++) {
      Occupancy.Change c = changes.get(i);
      scope[i] = String.valueOf(c.key().scope());
      channel[i] = c.key().channel();
      usr[i] = c.key().user();
      delta[i] = c.held() ? 1 : -1;
    }
    return pool.preparedQuery(APPLY)
        .execute(Tuple.of(node, scope, channel, usr, delta, routes.targets(), routes.prefixes(), routes.types()))
        .map(rows -> rows.iterator().next().getLong("queued"));
  }

  /** Releases everything {@code node} held; yields the number of queue rows enqueued. */
  Future<Long> releaseNode(String node) {
    return pool.preparedQuery(RELEASE_NODE)
        .execute(Tuple.of(node, routes.targets(), routes.prefixes(), routes.types()))
        .map(rows -> rows.iterator().next().getLong("queued"));
  }

  /** The nodes that hold anything now. */
  Future<List<String>> holdingNodes() {
    return pool.query("SELECT DISTINCT node FROM webhook_holders").execute().map(rows -> {
      List<String> out = new ArrayList<>();
      for (Row r : rows) {
        out.add(r.getString(0));
      }
      return out;
    });
  }

  /** Counter rows at zero are kept by the statements above (a row locks its key); they go now and then. */
  Future<Void> sweepZeroKeys() {
    return pool.query("DELETE FROM webhook_keys WHERE holders = 0").execute().mapEmpty();
  }
}
