package io.switchboard.notify.push;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Browser push subscriptions per user (reactive, for the RPC methods). An endpoint is one browser profile's:
 * subscribing it again replaces its keys and owner. A user keeps at most {@link #MAX_PER_USER}; the oldest go
 * first (browsers rotate subscriptions, and stale ones would otherwise pile up until a push finds them gone).
 */
public final class PushSubscriptions {
  public static final int MAX_PER_USER = 20;

  private final Pool pool;

  public PushSubscriptions(Pool pool) {
    this.pool = pool;
  }

  public Future<Void> subscribe(String user, String endpoint, String p256dh, String auth) {
    return pool.withTransaction(c -> c.preparedQuery(
            "INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth) VALUES ($1, $2, $3, $4) "
                + "ON CONFLICT (endpoint) DO UPDATE SET user_id = EXCLUDED.user_id, p256dh = EXCLUDED.p256dh, "
                + "auth = EXCLUDED.auth, created_at = now()")
        .execute(Tuple.of(user, endpoint, p256dh, auth))
        .compose(r -> c.preparedQuery("DELETE FROM push_subscriptions WHERE id IN (SELECT id FROM push_subscriptions "
                + "WHERE user_id = $1 ORDER BY created_at DESC, id DESC OFFSET $2)")
            .execute(Tuple.of(user, MAX_PER_USER)))
        .mapEmpty());
  }

  /** Removes the user's subscription of that endpoint; true when there was one. */
  public Future<Boolean> unsubscribe(String user, String endpoint) {
    return pool.preparedQuery("DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2")
        .execute(Tuple.of(user, endpoint))
        .map(r -> r.rowCount() > 0);
  }
}
