package io.switchboard.api;

import io.switchboard.core.Publishing;
import io.switchboard.channel.ChannelPolicy;
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
  private final ChannelPolicy policy;
  private final Publishing publishing;

  PublishMethod(ChannelPolicy policy, Publishing publishing) {
    this.policy = policy;
    this.publishing = publishing;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    Request r = Request.parse(p);
    return publish(channel, r);
  }

  /** The shared part of publish and broadcast (their common fields). */
  record Request(String data, Map<String, String> tags, String idempotencyKey, boolean skipHistory) {
    static Request parse(JsonObject p) {
      return new Request(JsonParams.requiredData(p), ApiParams.tags(p), JsonParams.optString(p, "idempotency_key"),
          JsonParams.optBool(p, "skip_history"));
    }
  }

  Future<JsonObject> publish(String channel, Request r) {
    NamespaceOptions ns = policy.resolve(channel); // 107 malformed, 106 too long, 102 unknown namespace
    return publishing.byServer(channel, ns, r.data(), r.tags(), r.idempotencyKey(), r.skipHistory())
        .map(PublishMethod::result);
  }

  private static JsonObject result(PublishResult r) {
    if (r.position() == null) {
      return new JsonObject();
    }
    return new JsonObject().put("offset", r.position().offset()).put("epoch", r.position().epoch());
  }
}
