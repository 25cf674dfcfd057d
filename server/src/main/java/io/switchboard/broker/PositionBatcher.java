package io.switchboard.broker;

import io.switchboard.history.HistoryStore;
import io.switchboard.model.StreamPosition;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stream positions looked up together, one query per event-loop turn: when thousands of clients connect or
 * reconnect at once, each needs the position of its personal channel, and one statement for all of them
 * keeps a connect storm from becoming a query storm. Confined to its loop.
 */
final class PositionBatcher {
  static final int MAX_BATCH = 1000;

  private final Context context;
  private final HistoryStore history;
  private Map<String, List<Promise<StreamPosition>>> waiting = new HashMap<>();
  private boolean scheduled;

  PositionBatcher(Context context, HistoryStore history) {
    this.context = context;
    this.history = history;
  }

  Future<StreamPosition> position(String channel) {
    Promise<StreamPosition> p = Promise.promise();
    waiting.computeIfAbsent(channel, k -> new ArrayList<>(1)).add(p);
    if (!scheduled) {
      scheduled = true;
      context.runOnContext(v -> flush());
    }
    return p.future();
  }

  private void flush() {
    scheduled = false;
    Map<String, List<Promise<StreamPosition>>> batch = waiting;
    waiting = new HashMap<>();
    List<String> names = new ArrayList<>(batch.keySet());
    for (int i = 0; i < names.size(); i += MAX_BATCH) {
      List<String> part = names.subList(i, Math.min(names.size(), i + MAX_BATCH));
      history.positions(part).onComplete(ar -> {
        for (String channel : part) {
          for (Promise<StreamPosition> p : batch.get(channel)) {
            if (ar.succeeded()) {
              p.complete(ar.result().get(channel));
            } else {
              p.fail(ar.cause());
            }
          }
        }
      });
    }
  }
}
