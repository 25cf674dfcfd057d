package io.switchboard.gateway;

import io.switchboard.core.PublicationData;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.protocol.RpcRequest;
import io.switchboard.protocol.RpcResult;
import io.switchboard.rpc.RpcMethod;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** {@code rpc}: Switchboard's own methods (read markers, unread counts); unknown ones are error 104. */
final class RpcCommand implements CommandHandler<RpcRequest, RpcResult> {
  @Override
  public Future<RpcResult> handle(Session s, RpcRequest q) {
    String method = q.method();
    RpcMethod m = method == null ? null : s.services.rpc().get(method);
    if (m == null && method != null && !method.isEmpty() && s.services.proxy().answersRpc()) {
      // Not one of Switchboard's own: the backend answers it (docs/proxy.md), with the data as the client sent it.
      boolean json = !s.codec.binary();
      PublicationData.check(q.data(), json, s.services.core().publishing().limits());
      return s.services.proxy().rpc(ProxyCalls.context(s), method, q.data(), json).map(RpcResult::new);
    }
    if (m == null) {
      throw new CoreException(Failure.METHOD_NOT_FOUND);
    }
    // Its data is read as JSON by every method: within the payload limits, as any other data (107 past them).
    PublicationData.check(q.data(), true, s.services.core().publishing().limits());
    return m.call(new SessionRpcCaller(s), args(q.data()))
        .map(result -> new RpcResult(result == null ? null : Json.encode(result).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Switchboard's RPC methods take a JSON object of arguments; no data is an empty one. A Protobuf client's
   * data bytes are read as JSON text in UTF-8 too.
   */
  private static JsonObject args(byte[] data) {
    if (data == null || data.length == 0) {
      return new JsonObject();
    }
    Object v;
    try {
      v = Json.decodeValue(Buffer.buffer(data));
    } catch (DecodeException e) {
      throw new CoreException(Failure.BAD_REQUEST, "rpc data must be a JSON object");
    }
    if (v == null) {
      return new JsonObject();
    }
    if (v instanceof JsonObject o) {
      return o;
    }
    throw new CoreException(Failure.BAD_REQUEST, "rpc data must be an object");
  }
}
