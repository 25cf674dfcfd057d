package io.switchboard.rpc;

import io.switchboard.config.PushConfig;
import io.switchboard.notify.push.DeviceInput;
import io.switchboard.notify.push.DeviceRegistry;
import io.switchboard.notify.push.PushDevice;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code push.subscribe {endpoint, keys:{p256dh, auth}}} (a browser's {@code PushSubscription.toJSON()}): stores the
 * subscription for the connection's user. The endpoint must be on {@code push.allowed_endpoints} (103 otherwise:
 * the server would POST to it); malformed endpoints or keys are 107; push disabled is 108.
 */
final class PushSubscribeRpc implements RpcMethod {
  private final RpcServices services;

  PushSubscribeRpc(RpcServices services) {
    this.services = services;
  }

  @Override
  public Future<Object> call(RpcCaller caller, JsonObject args) {
    PushConfig push = PushRpcs.enabled(services, caller);
    String endpoint = PushRpcs.endpoint(push, args);
    String[] keys = DeviceInput.webPushKeys(args);
    return services.devices().register(new DeviceRegistry.Registration(null, caller.user(), PushDevice.WEBPUSH,
            endpoint, keys[0], keys[1], null, null))
        .map(id -> new JsonObject().put("id", id));
  }
}
