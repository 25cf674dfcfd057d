package io.switchboard.rpc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code notifications.unread}: {@code {count, read_offset}}, the caller's unread notifications. */
final class NotificationsUnreadRpc implements RpcMethod {
  private final RpcServices services;

  NotificationsUnreadRpc(RpcServices services) {
    this.services = services;
  }

  @Override
  public Future<Object> call(RpcCaller caller, JsonObject args) {
    String channel = Inbox.channelOf(services, caller);
    return services.inbox().state(caller.user(), channel)
        .map(s -> new JsonObject().put("count", s.unread()).put("read_offset", s.readOffset()));
  }
}
