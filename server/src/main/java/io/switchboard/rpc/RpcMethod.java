package io.switchboard.rpc;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** One method callable through the protocol's {@code rpc} command; the result becomes the reply's {@code data}. */
public interface RpcMethod {
  Future<Object> call(RpcCaller caller, JsonObject args);
}
