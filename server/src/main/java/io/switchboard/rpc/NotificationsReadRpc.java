package io.switchboard.rpc;

import io.switchboard.model.Failure;
import io.switchboard.history.InboxStore;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code notifications.read {offset}}: everything up to {@code offset} (capped at the top) is read; the mark
 * never moves back. {@code notifications.read {offsets:[...]}}: those notifications are read (at most 1000;
 * unknown offsets are ignored). Result {@code {read_offset, unread}}; the user's other connections get a
 * message push {@code {type:"notifications.read", read_offset, unread, offsets?}} so their badges follow.
 */
final class NotificationsReadRpc implements RpcMethod {
  static final int MAX_OFFSETS = 1000;

  private final RpcServices services;

  NotificationsReadRpc(RpcServices services) {
    this.services = services;
  }

  @Override
  public Future<Object> call(RpcCaller caller, JsonObject args) {
    String channel = Inbox.channelOf(services, caller);
    Object one = args.getValue("offset");
    Object many = args.getValue("offsets");
    if ((one == null) == (many == null)) {
      throw new CoreException(Failure.BAD_REQUEST, "give offset or offsets");
    }
    Future<InboxStore.ReadState> done;
    JsonArray told = null;
    if (one != null) {
      done = services.inbox().markUpTo(caller.user(), channel, Inbox.offset(one, "offset"));
    } else {
      if (!(many instanceof JsonArray arr) || arr.isEmpty()) {
        throw new CoreException(Failure.BAD_REQUEST, "offsets must be a non-empty array");
      }
      if (arr.size() > MAX_OFFSETS) {
        throw new CoreException(Failure.LIMIT_EXCEEDED, "at most " + MAX_OFFSETS + " offsets");
      }
      Set<Long> offsets = new LinkedHashSet<>();
      for (Object o : arr) {
        offsets.add(Inbox.offset(o, "offsets[]"));
      }
      told = new JsonArray(new ArrayList<>(offsets));
      done = services.inbox().markEach(caller.user(), channel, List.copyOf(offsets));
    }
    JsonArray offsetsTold = told;
    return done.map(state -> {
      JsonObject message = Inbox.state(state).put("type", "notifications.read");
      if (offsetsTold != null) {
        message.put("offsets", offsetsTold);
      }
      caller.tellOtherSessions(message);
      return Inbox.state(state);
    });
  }
}
