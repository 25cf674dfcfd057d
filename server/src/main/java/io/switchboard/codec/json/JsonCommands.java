package io.switchboard.codec.json;

import io.switchboard.codec.BadMessageException;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.protocol.ClientCommand;
import io.switchboard.protocol.ClientCommand.Kind;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON protocol's commands: one JSON object per line of a text message. Blank lines are skipped;
 * {@code {}} is the pong. The method is the first key, in {@link #METHODS} order, that the object has; its
 * params become the typed request ({@link JsonRequests}).
 */
final class JsonCommands {
  /** The protocol's command methods, as JSON keys. */
  static final List<String> METHODS = List.of("connect", "subscribe", "unsubscribe", "publish", "presence",
      "presence_stats", "history", "send", "rpc", "refresh", "sub_refresh");

  private static final BadMessageException NOT_JSON = new BadMessageException("not a JSON object");

  private JsonCommands() {}

  static List<ClientCommand> decode(String text) {
    List<ClientCommand> commands = null;
    ClientCommand single = null;
    int start = 0;
    int len = text.length();
    while (start < len) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? len : nl;
      String line = text.substring(start, end).trim();
      start = end + 1;
      if (line.isEmpty()) {
        continue;
      }
      ClientCommand cmd = command(parse(line));
      if (single == null) {
        single = cmd;
      } else {
        if (commands == null) {
          commands = new ArrayList<>(4);
          commands.add(single);
        }
        commands.add(cmd);
      }
    }
    return commands != null ? commands : single != null ? List.of(single) : List.of();
  }

  private static JsonObject parse(String line) {
    try {
      return new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      throw NOT_JSON;
    }
  }

  static ClientCommand command(JsonObject cmd) {
    if (cmd.isEmpty()) {
      return ClientCommand.PONG;
    }
    Object rawId = cmd.getValue("id");
    long id;
    if (rawId == null) {
      id = 0;
    } else if (rawId instanceof Number n && n.longValue() >= 0 && n.doubleValue() == Math.rint(n.doubleValue())) {
      id = n.longValue();
    } else {
      return ClientCommand.without(Kind.BAD_ID, 0);
    }
    String method = methodOf(cmd);
    if (method == null) {
      return ClientCommand.without(id == 0 && onlyId(cmd) ? Kind.ID_ONLY : Kind.UNKNOWN_METHOD, id);
    }
    Object params = cmd.getValue(method);
    if (params != null && !(params instanceof JsonObject)) {
      return new ClientCommand(id, method, null, new CoreException(Failure.BAD_REQUEST, method + " must be an object"));
    }
    return JsonRequests.command(id, method, params == null ? new JsonObject() : (JsonObject) params);
  }

  private static String methodOf(JsonObject cmd) {
    for (int i = 0, n = METHODS.size(); i < n; i++) {
      String m = METHODS.get(i);
      if (cmd.containsKey(m)) {
        return m;
      }
    }
    return null;
  }

  private static boolean onlyId(JsonObject cmd) {
    for (String k : cmd.fieldNames()) {
      if (!k.equals("id")) {
        return false;
      }
    }
    return true;
  }
}
