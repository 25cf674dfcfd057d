package io.switchboard.rpc;

import io.switchboard.model.CoreException;
import io.switchboard.model.Failure;
import io.switchboard.notify.push.DeviceInput;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * {@code push.unregister {id}} or {@code {platform, token}}: removes one of the caller's own devices (on logout).
 * {@code {removed}} says whether there was one; another user's device is never touched.
 */
final class PushUnregisterRpc implements RpcMethod {
  private final RpcServices services;

  PushUnregisterRpc(RpcServices services) {
    this.services = services;
  }

  @Override
  public Future<Object> call(RpcCaller caller, JsonObject args) {
    if (caller.user().isEmpty()) {
      throw new CoreException(Failure.PERMISSION_DENIED, "anonymous users have no devices");
    }
    if (args.getValue("id") instanceof String id && !id.isEmpty()) {
      return services.devices().unregister(caller.user(), id, null, null)
          .map(removed -> new JsonObject().put("removed", removed));
    }
    String platform = DeviceInput.platform(args);
    String token = DeviceInput.token(services.push(), platform, args);
    return services.devices().unregister(caller.user(), null, platform, token)
        .map(removed -> new JsonObject().put("removed", removed));
  }
}
