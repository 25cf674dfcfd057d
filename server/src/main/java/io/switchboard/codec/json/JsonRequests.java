package io.switchboard.codec.json;

import io.switchboard.model.CoreException;
import io.switchboard.model.RawJson;
import io.switchboard.model.StreamPosition;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientRequest;
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
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the params object of a JSON client command into its typed request. A missing required field or a
 * wrong type is {@link io.switchboard.model.Failure#BAD_REQUEST} (107) naming the field, as
 * {@link JsonParams} words it. Fields are read in the order the handlers read them before they were typed, so
 * that a command with several faults is refused for the same one.
 */
public final class JsonRequests {
  private JsonRequests() {}

  /** {@code method} is one of the protocol's commands ({@code connect}, …, {@code sub_refresh}). */
  public static ClientRequest decode(String method, JsonObject p) {
    return switch (method) {
      case "connect" -> connect(p);
      case "subscribe" -> subscribe(p);
      case "unsubscribe" -> new UnsubscribeRequest(JsonParams.requiredString(p, "channel"));
      case "publish" -> publish(p);
      case "presence" -> new PresenceRequest(JsonParams.requiredString(p, "channel"));
      case "presence_stats" -> new PresenceStatsRequest(JsonParams.requiredString(p, "channel"));
      case "history" -> history(p);
      case "send" -> new SendRequest(data(p));
      case "rpc" -> rpc(p);
      case "refresh" -> new RefreshRequest(JsonParams.requiredString(p, "token"));
      case "sub_refresh" -> subRefresh(p);
      default -> throw new IllegalArgumentException("not a client command: " + method);
    };
  }

  /** Like {@link #decode}, with a malformed request kept as the command's failure instead of thrown. */
  public static ClientCommand command(long id, String method, JsonObject p) {
    try {
      return new ClientCommand(id, method, decode(method, p), null);
    } catch (CoreException e) {
      return new ClientCommand(id, method, null, e);
    }
  }

  /**
   * The one place where a request's {@code data} becomes what the typed requests carry: the compact JSON text
   * in UTF-8, or null when absent or JSON null.
   */
  private static byte[] data(JsonObject p) {
    String text = RawJson.encode(p.getValue("data"));
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static ConnectRequest connect(JsonObject p) {
    String token = JsonParams.optString(p, "token");
    JsonObject subs = JsonParams.optObject(p, "subs");
    Map<String, SubscribeRequest> recovery = new LinkedHashMap<>();
    if (subs != null) {
      for (String channel : subs.fieldNames()) {
        JsonObject s = JsonParams.optObject(subs, channel);
        recovery.put(channel, s == null ? SubscribeRequest.recovery(false, 0, null)
            : SubscribeRequest.recovery(JsonParams.optBool(s, "recover"), JsonParams.optOffset(s, "offset"),
                JsonParams.optString(s, "epoch")));
      }
    }
    return new ConnectRequest(token, data(p), recovery);
  }

  private static SubscribeRequest subscribe(JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    String token = JsonParams.optString(p, "token");
    boolean recoverable = JsonParams.optBool(p, "recoverable");
    boolean positioned = JsonParams.optBool(p, "positioned");
    boolean recover = JsonParams.optBool(p, "recover");
    long offset = JsonParams.optOffset(p, "offset");
    String epoch = JsonParams.optString(p, "epoch");
    boolean joinLeave = JsonParams.optBool(p, "join_leave");
    return new SubscribeRequest(channel, token, recover, epoch, offset, positioned, recoverable, joinLeave);
  }

  private static PublishRequest publish(JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    return new PublishRequest(channel, JsonParams.requiredData(p).getBytes(StandardCharsets.UTF_8));
  }

  private static HistoryRequest history(JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    long limit = JsonParams.optLong(p, "limit", 0);
    boolean reverse = JsonParams.optBool(p, "reverse");
    JsonObject since = JsonParams.optObject(p, "since");
    StreamPosition position = since == null ? null
        : new StreamPosition(JsonParams.optOffset(since, "offset"), JsonParams.optString(since, "epoch"));
    return new HistoryRequest(channel, limit, position, reverse);
  }

  /** Whether {@code data} is an object is the handler's check: an unknown method (104) is told first. */
  private static RpcRequest rpc(JsonObject p) {
    return new RpcRequest(JsonParams.optString(p, "method"), data(p));
  }

  private static SubRefreshRequest subRefresh(JsonObject p) {
    String channel = JsonParams.requiredString(p, "channel");
    return new SubRefreshRequest(channel, JsonParams.requiredString(p, "token"));
  }
}
