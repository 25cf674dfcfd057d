package io.switchboard.rpc;

import io.switchboard.model.Failure;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code read {channel, offset}}: stores the user's read position in a channel with history (it never moves
 * backwards) and tells the user's other connections, so a second device clears its badge at once.
 */
final class ReadRpc implements RpcMethod {
  private final RpcServices services;

  ReadRpc(RpcServices services) {
    this.services = services;
  }

  @Override
  public Future<Object> call(RpcCaller caller, JsonObject args) {
    if (caller.user().isEmpty()) {
      throw new CoreException(Failure.PERMISSION_DENIED, "anonymous users have no read state");
    }
    Object ch = args.getValue("channel");
    Object off = args.getValue("offset");
    if (!(ch instanceof String channel) || channel.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "channel required");
    }
    if (!(off instanceof Number n) || n.longValue() < 0 || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new CoreException(Failure.BAD_REQUEST, "offset must be a non-negative integer");
    }
    NamespaceOptions ns = services.policy().resolve(channel);
    if (!ns.history()) {
      throw new CoreException(Failure.NOT_AVAILABLE, "channel has no history");
    }
    if (!caller.subscribedChannels().contains(channel)) {
      throw new CoreException(Failure.PERMISSION_DENIED, "subscribe to the channel first");
    }
    return services.reads().markRead(caller.user(), channel, n.longValue()).map(stored -> {
      caller.tellOtherSessions(new JsonObject().put("type", "read").put("channel", channel).put("offset", stored));
      return new JsonObject().put("offset", stored);
    });
  }
}
