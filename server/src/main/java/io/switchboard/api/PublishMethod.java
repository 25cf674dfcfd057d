package io.switchboard.api;

import io.switchboard.core.Publishing;
import io.switchboard.channel.ChannelPolicy;
import io.switchboard.broker.PublishResult;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.codec.json.JsonParams;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * {@code publish {channel, data | b64data, skip_history?, tags?, idempotency_key?}}: answered after the commit
 * with the publication's {@code {offset, epoch}} in channels with history, {@code {}} otherwise. Server
 * publications bypass the namespace's client permissions and carry no publisher info. {@code b64data} (as in
 * Centrifugo) is base64 bytes: they must be one line of JSON unless the namespace is binary
 * ({@code core.PublicationData}).
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
  record Request(byte[] data, boolean opaque, Map<String, String> tags, String idempotencyKey, boolean skipHistory) {
    static Request parse(JsonObject p) {
      String b64 = JsonParams.optString(p, "b64data");
      boolean opaque = b64 != null && !b64.isEmpty();
      byte[] data;
      if (opaque) {
        if (p.getValue("data") != null) {
          throw new CoreException(Failure.BAD_REQUEST, "data and b64data: give one of them");
        }
        try {
          data = Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
          throw new CoreException(Failure.BAD_REQUEST, "b64data must be base64");
        }
      } else {
        data = JsonParams.requiredData(p).getBytes(StandardCharsets.UTF_8);
      }
      return new Request(data, opaque, ApiParams.tags(p), JsonParams.optString(p, "idempotency_key"),
          JsonParams.optBool(p, "skip_history"));
    }
  }

  Future<JsonObject> publish(String channel, Request r) {
    NamespaceOptions ns = policy.resolve(channel); // 107 malformed, 106 too long, 102 unknown namespace
    return publishing.byServer(channel, ns, r.data(), r.opaque(), r.tags(), r.idempotencyKey(), r.skipHistory())
        .map(PublishMethod::result);
  }

  private static JsonObject result(PublishResult r) {
    if (r.position() == null) {
      return new JsonObject();
    }
    return new JsonObject().put("offset", r.position().offset()).put("epoch", r.position().epoch());
  }
}
