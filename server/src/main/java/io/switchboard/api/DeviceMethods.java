package io.switchboard.api;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.notify.push.DeviceInput;
import io.switchboard.notify.push.DeviceRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The device registry's server API besides {@code device_register}, in Centrifugo PRO's shapes:
 * {@code device_update}, {@code device_remove}, {@code device_list} and {@code device_topic_update}.
 */
final class DeviceMethods {
  static final int MAX_IDS = 10_000;
  static final int DEFAULT_LIST_LIMIT = 100;
  static final int MAX_LIST_LIMIT = 1000;

  private DeviceMethods() {}

  static void register(Map<String, ApiMethod> m, PushApi push) {
    m.put("device_register", new DeviceRegisterMethod(push));
    m.put("device_update", p -> update(push.devices(), p));
    m.put("device_remove", p -> remove(push.devices(), p));
    m.put("device_list", p -> list(push.devices(), p));
    m.put("device_topic_update", p -> topicUpdate(push.devices(), p));
  }

  /** {@code {ids?, users?, user_update?: {user}, meta_update?: {meta}, topics_update?: {op, topics}}}. */
  static Future<JsonObject> update(DeviceRegistry devices, JsonObject p) {
    List<String> ids = DeviceInput.strings(p.getValue("ids"), "ids", MAX_IDS);
    List<String> users = DeviceInput.strings(p.getValue("users"), "users", MAX_IDS);
    if (ids.isEmpty() && users.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "ids or users required");
    }
    JsonObject userUpdate = JsonParams.optObject(p, "user_update");
    String user = userUpdate == null ? null : JsonParams.optString(userUpdate, "user");
    if (userUpdate != null && (user == null || user.isEmpty())) {
      throw new CoreException(Failure.BAD_REQUEST, "user_update.user required");
    }
    JsonObject metaUpdate = JsonParams.optObject(p, "meta_update");
    JsonObject meta = metaUpdate == null ? null : DeviceInput.meta(metaUpdate.getValue("meta", new JsonObject()));
    JsonObject topicsUpdate = JsonParams.optObject(p, "topics_update");
    String op = topicsUpdate == null ? null : DeviceInput.topicOp(topicsUpdate.getValue("op"));
    List<String> topics = topicsUpdate == null ? null : orEmpty(DeviceInput.topics(topicsUpdate.getValue("topics"),
        "topics_update.topics"));
    return devices.update(ids, users, user, meta, op, topics).map(n -> new JsonObject().put("updated", n));
  }

  /** {@code {ids?, users?}}. */
  static Future<JsonObject> remove(DeviceRegistry devices, JsonObject p) {
    List<String> ids = DeviceInput.strings(p.getValue("ids"), "ids", MAX_IDS);
    List<String> users = DeviceInput.strings(p.getValue("users"), "users", MAX_IDS);
    if (ids.isEmpty() && users.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "ids or users required");
    }
    return devices.remove(ids, users).map(n -> new JsonObject().put("removed", n));
  }

  /**
   * {@code {filter?: {ids, users, topics, providers|platforms}, cursor?, limit?, include_topics?, include_meta?,
   * include_total_count?}} → {@code {items, next_cursor, total_count?}}.
   */
  static Future<JsonObject> list(DeviceRegistry devices, JsonObject p) {
    JsonObject f = JsonParams.optObject(p, "filter");
    f = f == null ? new JsonObject() : f;
    List<String> platforms = DeviceInput.strings(f.getValue("providers", f.getValue("platforms")), "providers", 3);
    DeviceRegistry.Filter filter = new DeviceRegistry.Filter(DeviceInput.strings(f.getValue("ids"), "ids", MAX_IDS),
        DeviceInput.strings(f.getValue("users"), "users", MAX_IDS),
        orEmpty(DeviceInput.topics(f.getValue("topics"), "topics")), platforms);
    long limit = JsonParams.optLong(p, "limit", DEFAULT_LIST_LIMIT);
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new CoreException(Failure.BAD_REQUEST, "limit must be 1 to " + MAX_LIST_LIMIT);
    }
    boolean topics = JsonParams.optBool(p, "include_topics");
    boolean meta = JsonParams.optBool(p, "include_meta");
    return devices.list(filter, JsonParams.optString(p, "cursor"), (int) limit,
        JsonParams.optBool(p, "include_total_count")).map(page -> {
          JsonArray items = new JsonArray();
          for (DeviceRegistry.Device d : page.items()) {
            JsonObject o = new JsonObject().put("id", d.id()).put("provider", d.platform())
                .put("platform", d.platform()).put("user", d.user()).put("token", d.token())
                .put("created_at", d.createdAt().toEpochSecond()).put("updated_at", d.updatedAt().toEpochSecond());
            if (topics) {
              o.put("topics", new JsonArray(d.topics()));
            }
            if (meta) {
              o.put("meta", d.meta());
            }
            items.add(o);
          }
          JsonObject out = new JsonObject().put("items", items).put("next_cursor", page.nextCursor());
          if (page.total() != null) {
            out.put("total_count", page.total());
          }
          return out;
        });
  }

  /** {@code {device_id, op, topics, user?}}: with {@code user}, only if the device is theirs. */
  static Future<JsonObject> topicUpdate(DeviceRegistry devices, JsonObject p) {
    String id = JsonParams.optString(p, "device_id");
    if (id == null || id.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "device_id required");
    }
    String op = DeviceInput.topicOp(p.getValue("op"));
    List<String> topics = orEmpty(DeviceInput.topics(p.getValue("topics"), "topics"));
    String user = JsonParams.optString(p, "user");
    return devices.updateTopics(id, user == null || user.isEmpty() ? null : user, op, topics).map(found -> {
      if (!found) {
        throw new CoreException(Failure.BAD_REQUEST, "no such device" + (user == null ? "" : " of that user"));
      }
      return new JsonObject();
    });
  }

  private static List<String> orEmpty(List<String> l) {
    return l == null ? List.of() : l;
  }
}
