package io.switchboard.model;

import io.vertx.core.json.JsonObject;

/**
 * Who a connection is, as shown in presence and in publications. {@code connInfo} and {@code chanInfo} are
 * raw JSON (the protocol embeds them as JSON, not base64), or null.
 */
public record ClientInfo(String user, String client, String connInfo, String chanInfo) {

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("user", user).put("client", client);
    if (connInfo != null) {
      o.put("conn_info", RawJson.parse(connInfo));
    }
    if (chanInfo != null) {
      o.put("chan_info", RawJson.parse(chanInfo));
    }
    return o;
  }

  public static ClientInfo fromJson(JsonObject o) {
    Object ci = o.getValue("conn_info");
    Object ch = o.getValue("chan_info");
    return new ClientInfo(o.getString("user", ""), o.getString("client", ""),
        ci == null ? null : RawJson.encode(ci), ch == null ? null : RawJson.encode(ch));
  }
}
