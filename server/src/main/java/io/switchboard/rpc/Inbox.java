package io.switchboard.rpc;

import io.switchboard.model.Failure;
import io.switchboard.channel.ChannelName;
import io.switchboard.history.InboxStore;
import io.switchboard.model.CoreException;
import io.vertx.core.json.JsonObject;

/** What the {@code notifications.*} methods share: the caller's inbox channel, and telling the other devices. */
final class Inbox {
  private Inbox() {}

  /** The caller's personal channel ({@code notify:#<user>}): 103 for anonymous users, 108 without history. */
  static String channelOf(RpcServices services, RpcCaller caller) {
    if (caller.user().isEmpty()) {
      throw new CoreException(Failure.PERMISSION_DENIED, "anonymous users have no notifications");
    }
    String channel = ChannelName.personal(services.channels().personalNamespace(), caller.user());
    if (!services.policy().resolve(channel).history()) {
      throw new CoreException(Failure.NOT_AVAILABLE, "the personal namespace has no history");
    }
    return channel;
  }

  /** {@code {"read_offset":W,"unread":N}}: a read RPC's result, also what the other devices are told. */
  static JsonObject state(InboxStore.ReadState s) {
    return new JsonObject().put("read_offset", s.readOffset()).put("unread", s.unread());
  }

  /** Non-negative whole number, or 107. */
  static long offset(Object value, String name) {
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0) {
      throw new CoreException(Failure.BAD_REQUEST, name + " must be a non-negative integer");
    }
    return n.longValue();
  }
}
