package io.switchboard.gateway;

import io.switchboard.protocol.ClientRequest;
import io.switchboard.protocol.ClientResult;
import io.switchboard.protocol.ConnectRequest;
import io.switchboard.protocol.HistoryRequest;
import io.switchboard.protocol.PresenceRequest;
import io.switchboard.protocol.PresenceStatsRequest;
import io.switchboard.protocol.PublishRequest;
import io.switchboard.protocol.RefreshRequest;
import io.switchboard.protocol.RpcRequest;
import io.switchboard.protocol.SendRequest;
import io.switchboard.protocol.SubRefreshRequest;
import io.switchboard.protocol.SubscribeRequest;
import io.switchboard.protocol.UnsubscribeRequest;
import io.vertx.core.Future;

/** The protocol's commands and the handler of each. */
final class Commands {
  private Commands() {}

  private static final ConnectCommand CONNECT = new ConnectCommand();
  private static final SubscribeCommand SUBSCRIBE = new SubscribeCommand();
  private static final UnsubscribeCommand UNSUBSCRIBE = new UnsubscribeCommand();
  private static final PublishCommand PUBLISH = new PublishCommand();
  private static final PresenceCommand PRESENCE = new PresenceCommand();
  private static final PresenceStatsCommand PRESENCE_STATS = new PresenceStatsCommand();
  private static final HistoryCommand HISTORY = new HistoryCommand();
  private static final SendCommand SEND = new SendCommand();
  private static final RpcCommand RPC = new RpcCommand();
  private static final RefreshCommand REFRESH = new RefreshCommand();
  private static final SubRefreshCommand SUB_REFRESH = new SubRefreshCommand();

  static Future<? extends ClientResult> handle(Session s, ClientRequest request) {
    return switch (request) {
      case ConnectRequest q -> CONNECT.handle(s, q);
      case SubscribeRequest q -> SUBSCRIBE.handle(s, q);
      case UnsubscribeRequest q -> UNSUBSCRIBE.handle(s, q);
      case PublishRequest q -> PUBLISH.handle(s, q);
      case PresenceRequest q -> PRESENCE.handle(s, q);
      case PresenceStatsRequest q -> PRESENCE_STATS.handle(s, q);
      case HistoryRequest q -> HISTORY.handle(s, q);
      case SendRequest q -> SEND.handle(s, q);
      case RpcRequest q -> RPC.handle(s, q);
      case RefreshRequest q -> REFRESH.handle(s, q);
      case SubRefreshRequest q -> SUB_REFRESH.handle(s, q);
    };
  }
}
