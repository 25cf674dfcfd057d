package io.switchboard.rpc;

import io.switchboard.model.Failure;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code unread {channels?}}: per channel, the durable publications after the user's read position. Without
 * {@code channels}, the channels with history this connection is subscribed to.
 */
final class UnreadRpc implements RpcMethod {
  static final int MAX_CHANNELS = 1000;

  private final RpcServices services;

  UnreadRpc(RpcServices services) {
    this.services = services;
  }

  @Override
  public Future<Object> call(RpcCaller caller, JsonObject args) {
    if (caller.user().isEmpty()) {
      throw new CoreException(Failure.PERMISSION_DENIED, "anonymous users have no read state");
    }
    Object raw = args.getValue("channels");
    List<String> channels = new ArrayList<>();
    if (raw == null) {
      for (String ch : caller.subscribedChannels()) {
        if (services.policy().resolve(ch).history()) {
          channels.add(ch);
        }
      }
    } else if (raw instanceof JsonArray arr) {
      if (arr.size() > MAX_CHANNELS) {
        throw new CoreException(Failure.LIMIT_EXCEEDED, "at most " + MAX_CHANNELS + " channels");
      }
      for (Object o : arr) {
        if (!(o instanceof String s) || s.isEmpty()) {
          throw new CoreException(Failure.BAD_REQUEST, "channels must be strings");
        }
        var ns = services.policy().resolve(s);
        if (!caller.subscribedChannels().contains(s)) {
          services.policy().checkSubscribe(s, ns, caller.user()); // no counts for channels one may not read
        }
        channels.add(s);
      }
    } else {
      throw new CoreException(Failure.BAD_REQUEST, "channels must be an array");
    }
    return services.reads().unread(caller.user(), channels).map(counts -> {
      JsonObject out = new JsonObject();
      counts.forEach(out::put);
      return new JsonObject().put("channels", out);
    });
  }
}
