package io.switchboard.rpc;

import java.util.Map;

/** The RPC methods Switchboard offers, by name; documented in docs/protocol.md. */
public final class RpcMethods {
  private final Map<String, RpcMethod> methods;

  public RpcMethods(RpcServices services) {
    this.methods = Map.of(
        "read", new ReadRpc(services),
        "unread", new UnreadRpc(services),
        "notifications.list", new NotificationsListRpc(services),
        "notifications.read", new NotificationsReadRpc(services),
        "notifications.unread", new NotificationsUnreadRpc(services),
        "push.subscribe", new PushSubscribeRpc(services),
        "push.unsubscribe", new PushUnsubscribeRpc(services),
        "push.register", new PushRegisterRpc(services),
        "push.unregister", new PushUnregisterRpc(services));
  }

  /** The method of that name, or null. */
  public RpcMethod get(String name) {
    return methods.get(name);
  }
}
