package io.switchboard.api;

import io.switchboard.Node;
import io.switchboard.broker.PublishResult;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.codec.json.JsonParams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * {@code publish {channel, data, skip_history?, tags?, idempotency_key?}}: answered after the commit with the
 * publication's {@code {offset, epoch}} in channels with history, {@code {}} otherwise. Server publications
 * bypass the namespace's client permissions and carry no publisher info.
 */
final class PublishMethod implements ApiMethod {

  @Override
  public Future<JsonObject> call(Node node, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    Request r = Request.parse(p);
    return publish(node, channel, r);
  }

  /** The shared part of publish and broadcast (their common fields). */
  record Request(String data, Map<String, String> tags, String idempotencyKey, boolean skipHistory) {
    static Request parse(JsonObject p) {
      return new Request(JsonParams.requiredData(p), ApiParams.tags(p), JsonParams.optString(p, "idempotency_key"),
          JsonParams.optBool(p, "skip_history"));
    }
  }

  static Future<JsonObject> publish(Node node, String channel, Request r) {
    NamespaceOptions ns = node.rules.resolve(channel); // 107 malformed, 106 too long, 102 unknown namespace
    node.metrics.published(1);
    return node.broker.publish(channel, ns, r.data(), null, r.tags(), r.idempotencyKey(), r.skipHistory())
        .map(PublishMethod::result);
  }

  private static JsonObject result(PublishResult r) {
    if (r.position() == null) {
      return new JsonObject();
    }
    return new JsonObject().put("offset", r.position().offset()).put("epoch", r.position().epoch());
  }
}
