package io.switchboard.rpc;

import java.util.List;

/** The connection an RPC came from, as RPC methods see it. */
public interface RpcCaller {
  String user();

  String clientId();

  List<String> subscribedChannels();

  /** Sends an async {@code message} push to every other connection of the same user. */
  void tellOtherSessions(Object data);
}
