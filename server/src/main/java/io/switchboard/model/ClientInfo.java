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

  /**
   * The same object as {@link #toJson()}, as text, built directly: the publish path encodes it for PostgreSQL
   * and for the push of every publication, and the info parts are already compact JSON text.
   */
  public String encoded() {
    StringBuilder sb = new StringBuilder(48 + (connInfo == null ? 0 : connInfo.length())
        + (chanInfo == null ? 0 : chanInfo.length()));
    sb.append("{\"user\":");
    RawJson.appendString(sb, user);
    sb.append(",\"client\":");
    RawJson.appendString(sb, client);
    if (connInfo != null) {
      sb.append(",\"conn_info\":").append(connInfo);
    }
    if (chanInfo != null) {
      sb.append(",\"chan_info\":").append(chanInfo);
    }
    return sb.append('}').toString();
  }

  public static ClientInfo fromJson(JsonObject o) {
    Object ci = o.getValue("conn_info");
    Object ch = o.getValue("chan_info");
    return new ClientInfo(o.getString("user", ""), o.getString("client", ""),
        ci == null ? null : RawJson.encode(ci), ch == null ? null : RawJson.encode(ch));
  }
}
