package io.switchboard.rpc;

import io.switchboard.model.Failure;
import io.switchboard.config.PushConfig;
import io.switchboard.model.CoreException;
import io.vertx.core.json.JsonObject;

/** Checks shared by the push RPC methods. */
final class PushRpcs {
  private PushRpcs() {}

  static PushConfig enabled(RpcServices services, RpcCaller caller) {
    if (caller.user().isEmpty()) {
      throw new CoreException(Failure.PERMISSION_DENIED, "anonymous users cannot have push subscriptions");
    }
    PushConfig push = services.push();
    if (!push.enabled()) {
      throw new CoreException(Failure.NOT_AVAILABLE, "push is disabled");
    }
    return push;
  }

  /** The endpoint, checked against push.allowed_endpoints: 107 if malformed, 103 if not allowed. */
  static String endpoint(PushConfig push, JsonObject args) {
    if (!(args.getValue("endpoint") instanceof String endpoint) || endpoint.isEmpty()) {
      throw new CoreException(Failure.BAD_REQUEST, "endpoint required");
    }
    return io.switchboard.notify.push.DeviceInput.endpoint(push, endpoint);
  }
}
