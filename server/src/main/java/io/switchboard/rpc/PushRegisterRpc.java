package io.switchboard.rpc;

import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.notify.push.DeviceInput;
import io.switchboard.notify.push.DeviceRegistry;
import io.switchboard.notify.push.PushDevice;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code push.register {platform, token, topics?, meta?}}: the app registers its device for the connection's
 * user and gets {@code {id}}. {@code platform} is {@code fcm} (the FCM registration token), {@code apns} (the APNs
 * device token, hex) or {@code webpush} ({@code endpoint} and {@code keys}, as {@code push.subscribe} takes them);
 * Centrifugo PRO's {@code provider} is accepted for it. The token moves from whoever registered it before.
 * Anonymous: 103; a platform without a configured provider: 108; bad input: 107.
 */
final class PushRegisterRpc implements RpcMethod {
  private final RpcServices services;

  PushRegisterRpc(RpcServices services) {
    this.services = services;
  }

  @Override
  public Future<Object> call(RpcCaller caller, JsonObject args) {
    if (caller.user().isEmpty()) {
      throw new CoreException(Failure.PERMISSION_DENIED, "anonymous users cannot register devices");
    }
    String platform = DeviceInput.platform(args);
    DeviceInput.requireEnabled(services.push(), platform);
    String token = DeviceInput.token(services.push(), platform, args);
    String[] keys = PushDevice.WEBPUSH.equals(platform) ? DeviceInput.webPushKeys(args) : new String[2];
    return services.devices().register(new DeviceRegistry.Registration(null, caller.user(), platform, token,
            keys[0], keys[1], DeviceInput.topics(args.getValue("topics"), "topics"),
            DeviceInput.meta(args.getValue("meta"))))
        .map(id -> new JsonObject().put("id", id));
  }
}
