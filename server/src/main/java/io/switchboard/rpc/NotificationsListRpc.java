package io.switchboard.rpc;

import io.switchboard.model.Failure;
import io.switchboard.history.InboxStore;
import io.switchboard.codec.json.JsonData;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code notifications.list {before?, limit?}}: the caller's notifications, newest first, with read state:
 * {@code {notifications:[{offset, data, read, time}], read_offset, top, epoch?}}. {@code before} pages back
 * (offsets below it); {@code limit} defaults to 20 and is capped at 100.
 */
final class NotificationsListRpc implements RpcMethod {
  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private final RpcServices services;

  NotificationsListRpc(RpcServices services) {
    this.services = services;
  }

  @Override
  public Future<Object> call(RpcCaller caller, JsonObject args) {
    String channel = Inbox.channelOf(services, caller);
    long before = args.getValue("before") == null ? 0 : Inbox.offset(args.getValue("before"), "before");
    if (args.getValue("before") != null && before == 0) {
      throw new CoreException(Failure.BAD_REQUEST, "before must be at least 1");
    }
    long limit = args.getValue("limit") == null ? DEFAULT_LIMIT : Inbox.offset(args.getValue("limit"), "limit");
    if (limit < 1) {
      throw new CoreException(Failure.BAD_REQUEST, "limit must be at least 1");
    }
    int n = (int) Math.min(limit, MAX_LIMIT);
    return services.inbox().list(caller.user(), channel, before, n).map(NotificationsListRpc::json);
  }

  private static Object json(InboxStore.Page page) {
    JsonArray items = new JsonArray();
    for (InboxStore.Item it : page.items()) {
      JsonObject o = new JsonObject().put("offset", it.offset()).put("data", JsonData.value(it.data(), it.json()))
          .put("read", it.read());
      if (it.time() != null) {
        o.put("time", it.time().toInstant().toEpochMilli());
      }
      items.add(o);
    }
    JsonObject out = new JsonObject().put("notifications", items).put("read_offset", page.readOffset())
        .put("top", page.top());
    if (page.epoch() != null) {
      out.put("epoch", page.epoch());
    }
    return out;
  }
}
