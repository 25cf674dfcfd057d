package io.switchboard.rpc;

import io.switchboard.model.Failure;
import io.switchboard.config.PushConfig;
import io.switchboard.crypto.P256;
import io.switchboard.model.CoreException;
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
    Object keysValue = args.getValue("keys");
    if (!(keysValue instanceof JsonObject keys)) {
      throw new CoreException(Failure.BAD_REQUEST, "keys {p256dh, auth} required");
    }
    String p256dh = key(keys, "p256dh", 65);
    String auth = key(keys, "auth", 16);
    try {
      P256.publicKey(P256.b64(p256dh));
    } catch (IllegalArgumentException e) {
      throw new CoreException(Failure.BAD_REQUEST, "keys.p256dh: " + e.getMessage());
    }
    return services.pushSubscriptions().subscribe(caller.user(), endpoint, p256dh, auth)
        .map(v -> new JsonObject());
  }

  private static String key(JsonObject keys, String name, int bytes) {
    if (!(keys.getValue(name) instanceof String s) || s.length() > 200) {
      throw new CoreException(Failure.BAD_REQUEST, "keys." + name + " must be a base64url string");
    }
    byte[] raw;
    try {
      raw = P256.b64(s);
    } catch (IllegalArgumentException e) {
      throw new CoreException(Failure.BAD_REQUEST, "keys." + name + " is not base64url");
    }
    if (raw.length != bytes) {
      throw new CoreException(Failure.BAD_REQUEST, "keys." + name + " must be " + bytes + " bytes");
    }
    return P256.b64(raw); // canonical: unpadded base64url
  }
}
