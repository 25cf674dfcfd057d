package io.switchboard.api;

import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.notify.push.DeviceInput;
import io.switchboard.notify.push.DeviceRegistry;
import io.switchboard.notify.push.PushDevice;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code device_register {id?, user, provider|platform, token, topics?, meta?}} (Centrifugo PRO's shape; Web Push
 * devices also take {@code keys {p256dh, auth}} and may give the endpoint as {@code token}): stores the device and
 * answers {@code {id}}. With {@code id} it updates that device. The token moves from any other user who had it.
 */
final class DeviceRegisterMethod implements ApiMethod {
  private final PushApi push;

  DeviceRegisterMethod(PushApi push) {
    this.push = push;
  }

  @Override
  public Future<JsonObject> call(JsonObject p) {
    String user = JsonParams.optString(p, "user");
    if (user == null || user.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "user required");
    }
    String id = JsonParams.optString(p, "id");
    String platform = DeviceInput.platform(p);
    DeviceInput.requireEnabled(push.config(), platform);
    String token = DeviceInput.token(push.config(), platform, p);
    String[] keys = PushDevice.WEBPUSH.equals(platform) ? DeviceInput.webPushKeys(p) : new String[2];
    return push.devices().register(new DeviceRegistry.Registration(id == null || id.isEmpty() ? null : id, user,
            platform, token, keys[0], keys[1], DeviceInput.topics(p.getValue("topics"), "topics"),
            DeviceInput.meta(p.getValue("meta"))))
        .map(newId -> new JsonObject().put("id", newId));
  }
}
