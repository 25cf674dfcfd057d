package io.switchboard.api;

import io.switchboard.model.Failure;
import io.switchboard.Node;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.gateway.HistoryCommand;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code history {channel, limit?, since?, reverse?}}: {@code {publications, offset, epoch}}, with the same
 * paging rules as the client command (limit 0 = only the position, -1 = a full page); 108 without history.
 */
final class HistoryMethod implements ApiMethod {

  @Override
  public Future<JsonObject> call(Node node, JsonObject p) {
    String channel = historyChannel(node, p);
    return HistoryCommand.page(node, channel, p);
  }

  /** The request's channel, checked to be in a namespace with history (shared with history_remove). */
  static String historyChannel(Node node, JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    NamespaceOptions ns = node.rules.resolve(channel);
    if (!ns.history()) {
      throw new CoreException(Failure.NOT_AVAILABLE);
    }
    return channel;
  }
}
