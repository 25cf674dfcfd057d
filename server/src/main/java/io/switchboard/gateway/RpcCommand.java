package io.switchboard.gateway;

import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.model.RawJson;
import io.switchboard.protocol.RpcRequest;
import io.switchboard.protocol.RpcResult;
import io.switchboard.rpc.RpcMethod;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code rpc}: Switchboard's own methods (read markers, unread counts); unknown ones are error 104. */
final class RpcCommand implements CommandHandler<RpcRequest, RpcResult> {
  @Override
  public Future<RpcResult> handle(Session s, RpcRequest q) {
    String method = q.method();
    RpcMethod m = method == null ? null : s.services.rpc().get(method);
    if (m == null) {
      throw new CoreException(Failure.METHOD_NOT_FOUND);
    }
    return m.call(new SessionRpcCaller(s), args(q.data())).map(result -> new RpcResult(RawJson.encode(result)));
  }

  /** Switchboard's RPC methods take a JSON object of arguments; no data is an empty one. */
  private static JsonObject args(String data) {
    Object v = RawJson.parse(data);
    if (v == null) {
      return new JsonObject();
    }
    if (v instanceof JsonObject o) {
      return o;
    }
    throw new CoreException(Failure.BAD_REQUEST, "rpc data must be an object");
  }
}
