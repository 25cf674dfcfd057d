package io.switchboard.gateway;

import io.switchboard.codec.json.JsonCodec;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.Failure;
import io.switchboard.Node;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.model.Publication;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code history}: a page of a channel's stream from PostgreSQL. {@code limit} 0 returns only the position,
 * -1 the most a page may hold; {@code since} continues after (or, reversed, before) a known offset.
 */
public final class HistoryCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    NamespaceOptions ns = s.node.rules.resolve(channel);
    Query q = Query.parse(s.node, p);
    s.node.rules.checkHistory(ns, s.isSubscribed(channel));
    return q.run(s.node, channel);
  }

  /** Shared with the server API's {@code history}: checks the parameters, then reads a page. */
  public static Future<JsonObject> page(Node node, String channel, JsonObject p) {
    return Query.parse(node, p).run(node, channel);
  }

  private record Query(int limit, long after, boolean reverse, String sinceEpoch) {

    static Query parse(Node node, JsonObject p) {
      long limit = JsonParams.optLong(p, "limit", 0);
      boolean reverse = JsonParams.optBool(p, "reverse");
      JsonObject since = JsonParams.optObject(p, "since");
      int cap = node.config.client().historyMaxLimit();
      if (limit < -1) {
        throw new CoreException(Failure.BAD_REQUEST, "limit must be -1 or more");
      }
      int n = limit == -1 || limit > cap ? cap : (int) limit;
      long after = 0;
      String sinceEpoch = null;
      if (since != null) {
        after = JsonParams.optLong(since, "offset", 0);
        sinceEpoch = JsonParams.optString(since, "epoch");
        if (after < 0) {
          throw new CoreException(Failure.BAD_REQUEST, "since.offset must not be negative");
        }
        if (reverse && after == 0) {
          throw new CoreException(Failure.BAD_REQUEST, "reverse with since.offset 0");
        }
      }
      return new Query(n, after, reverse, sinceEpoch);
    }

    Future<JsonObject> run(Node node, String channel) {
      return node.history.read(channel, after, limit, reverse).map(page -> {
        if (sinceEpoch != null && !sinceEpoch.isEmpty() && !sinceEpoch.equals(page.top().epoch())) {
          throw new CoreException(Failure.UNRECOVERABLE_POSITION);
        }
        JsonArray pubs = new JsonArray();
        for (Publication pub : page.publications()) {
          pubs.add(JsonCodec.publicationJson(pub));
        }
        return new JsonObject().put("publications", pubs)
            .put("epoch", page.top().epoch()).put("offset", page.top().offset());
      });
    }
  }
}
