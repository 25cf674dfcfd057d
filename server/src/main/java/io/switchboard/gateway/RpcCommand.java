package io.switchboard.gateway;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.Failure;
import io.switchboard.model.CoreException;
import io.switchboard.rpc.RpcMethod;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code rpc}: Switchboard's own methods (read markers, unread counts); unknown ones are error 104. */
final class RpcCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String method = JsonParams.optString(p, "method");
    RpcMethod m = method == null ? null : s.services.rpc().get(method);
    if (m == null) {
      throw new CoreException(Failure.METHOD_NOT_FOUND);
    }
    Object data = p.getValue("data");
    JsonObject args;
    if (data == null) {
      args = new JsonObject();
    } else if (data instanceof JsonObject o) {
      args = o;
    } else {
      throw new CoreException(Failure.BAD_REQUEST, "rpc data must be an object");
    }
    return m.call(new SessionRpcCaller(s), args).map(result -> new JsonObject().put("data", result));
  }
}
