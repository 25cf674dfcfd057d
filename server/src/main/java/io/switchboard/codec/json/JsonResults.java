package io.switchboard.codec.json;

import io.switchboard.core.HistoryQuery;
import io.switchboard.history.HistoryStore;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.presence.PresenceRegistry;
import com.fasterxml.jackson.databind.util.RawValue;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Request and result objects that the JSON client protocol and the server HTTP API share, built in one place
 * so that both answer alike.
 */
public final class JsonResults {
  private JsonResults() {}

  /** {@code {presence:{clientId:ClientInfo}}}. */
  public static JsonObject presence(Map<String, ClientInfo> clients) {
    JsonObject presence = new JsonObject();
    clients.forEach((client, info) -> presence.put(client, info.toJson()));
    return new JsonObject().put("presence", presence);
  }

  /** {@code {num_clients, num_users}}. */
  public static JsonObject presenceStats(PresenceRegistry.Stats st) {
    return new JsonObject().put("num_clients", st.numClients()).put("num_users", st.numUsers());
  }

  /** {@code {publications, epoch, offset}}. */
  public static JsonObject history(HistoryStore.HistoryPage page) {
    return history(page.publications(), page.top().epoch(), page.top().offset());
  }

  /** {@code {publications, epoch, offset}}. */
  public static JsonObject history(List<Publication> publications, String epoch, long offset) {
    return new JsonObject().put("publications", publications(publications)).put("epoch", epoch).put("offset", offset);
  }

  /**
   * Publications as they appear in history and recovery results: the same objects as in pushes, embedded as
   * encoded text ({@link RawValue}, written as it is by the JSON encoder) rather than parsed into objects. Data
   * travels through untouched, as in pushes (and as Centrifugo passes it through): no parse per publication,
   * and the reply's own nesting adds nothing to the data's, so a reply carrying data is encodable if the push of
   * it was.
   */
  public static JsonArray publications(List<Publication> publications) {
    JsonArray pubs = new JsonArray(new ArrayList<>(publications.size()));
    for (Publication pub : publications) {
      pubs.add(new RawValue(new String(JsonCodec.INSTANCE.publication(pub), StandardCharsets.UTF_8)));
    }
    return pubs;
  }

  /** {@code {limit?, since?{offset, epoch}, reverse?}} of a history request; {@code cap}: the largest page. */
  public static HistoryQuery historyQuery(JsonObject p, int cap) {
    long limit = JsonParams.optLong(p, "limit", 0);
    boolean reverse = JsonParams.optBool(p, "reverse");
    JsonObject since = JsonParams.optObject(p, "since");
    if (since == null) {
      return HistoryQuery.of(limit, reverse, false, 0, null, cap);
    }
    return HistoryQuery.of(limit, reverse, true, JsonParams.optOffset(since, "offset"),
        JsonParams.optString(since, "epoch"), cap);
  }
}
