package io.switchboard.rpc;

import io.switchboard.model.Failure;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** {@code push.unsubscribe {endpoint}}: removes the user's subscription of that endpoint; {@code {removed}}. */
final class PushUnsubscribeRpc implements RpcMethod {
  private final RpcServices services;

  PushUnsubscribeRpc(RpcServices services) {
    this.services = services;
  }

  @Override
  public Future<Object> call(RpcCaller caller, JsonObject args) {
    PushRpcs.enabled(services, caller);
    if (!(args.getValue("endpoint") instanceof String endpoint) || endpoint.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "endpoint required");
    }
    return services.devices().unregister(caller.user(), null, io.switchboard.notify.push.PushDevice.WEBPUSH, endpoint)
        .map(removed -> new JsonObject().put("removed", removed));
  }
}
