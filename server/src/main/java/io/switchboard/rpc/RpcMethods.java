package io.switchboard.rpc;

import java.util.Map;

/** The RPC methods Switchboard offers; documented in docs/protocol.md. */
public final class RpcMethods {
  private RpcMethods() {}

  private static final Map<String, RpcMethod> METHODS = Map.of(
      "read", new ReadRpc(),
      "unread", new UnreadRpc(),
      "notifications.list", new NotificationsListRpc(),
      "notifications.read", new NotificationsReadRpc(),
      "notifications.unread", new NotificationsUnreadRpc(),
      "push.subscribe", new PushSubscribeRpc(),
      "push.unsubscribe", new PushUnsubscribeRpc());

  public static RpcMethod get(String name) {
    return METHODS.get(name);
  }
}
