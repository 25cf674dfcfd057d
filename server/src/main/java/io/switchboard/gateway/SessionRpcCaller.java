package io.switchboard.gateway;

import io.switchboard.rpc.RpcCaller;
import java.util.ArrayList;
import java.util.List;

/** What an RPC method may know and do about the session that called it. */
final class SessionRpcCaller implements RpcCaller {
  private final Session s;

  SessionRpcCaller(Session s) {
    this.s = s;
  }

  @Override
  public String user() {
    return s.user;
  }

  @Override
  public String clientId() {
    return s.id;
  }

  @Override
  public List<String> subscribedChannels() {
    return new ArrayList<>(s.subs.keySet());
  }

  @Override
  public void tellOtherSessions(Object data) {
    s.services.core().users().messageOthers(s.user, s.id, data);
  }
}
