package io.switchboard.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code broadcast {channels[], data | b64data, ...}}: the same publication into several channels, concurrently.
 * One response per channel, in request order: {@code {result:{offset,epoch}}} or {@code {error:{...}}}; a bad
 * channel fails only its own entry.
 */
final class BroadcastMethod implements ApiMethod {
  private final PublishMethod publish;

  BroadcastMethod(PublishMethod publish) {
    this.publish = publish;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    List<String> channels = ApiParams.requiredStrings(p, "channels");
    PublishMethod.Request r = PublishMethod.Request.parse(p);
    List<Future<JsonObject>> responses = new ArrayList<>(channels.size());
    for (String channel : channels) {
      responses.add(ApiMethod.attempt(() -> publish.publish(channel, r))
          .transform(ar -> Future.succeededFuture(ar.succeeded()
              ? new JsonObject().put("result", ar.result())
              : ApiErrors.reply("broadcast", ar.cause()))));
    }
    // Each entry has been turned into a success, so this waits for all of them and never fails.
    return Future.all(responses).map(v -> {
      JsonArray out = new JsonArray();
      responses.forEach(f -> out.add(f.result()));
      return new JsonObject().put("responses", out);
    });
  }
}
