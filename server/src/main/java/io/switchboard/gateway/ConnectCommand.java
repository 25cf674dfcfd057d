package io.switchboard.gateway;

import io.switchboard.ops.NodeStatus;
import io.switchboard.codec.json.JsonParams;
import io.switchboard.model.Failure;
import io.switchboard.auth.ConnectClaims;
import io.switchboard.auth.TokenException;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.channel.ChannelName;
import io.switchboard.config.ChannelConfig;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code connect}: checks the token (invalid: close 3500; expired: error 109), then makes the server-side
 * subscriptions (the token's {@code channels} and the user's personal channel) and announces them in
 * {@code subs}, with recovery when the client asks for it there.
 */
final class ConnectCommand implements CommandHandler {
  @Override
  public Future<JsonObject> handle(Session s, JsonObject p) {
    String token = JsonParams.optString(p, "token");
    JsonObject subsReq = JsonParams.optObject(p, "subs");
    if (token == null || token.isEmpty()) {
      if (!s.services.limits().allowAnonymous()) {
        throw new DisconnectException(DisconnectCode.BAD_REQUEST);
      }
      return establish(s, new ConnectClaims("", 0, null, List.of(), null), subsReq);
    }
    // Async only when a JWKS key must be fetched first; otherwise this completes at once.
    return s.services.tokens().verifyConnectAsync(token)
        .recover(t -> Future.failedFuture(t instanceof TokenException e && e.kind() == TokenException.Kind.EXPIRED
            ? new CoreException(Failure.TOKEN_EXPIRED)
            : new DisconnectException(DisconnectCode.INVALID_TOKEN)))
        .compose(claims -> establish(s, claims, subsReq));
  }

  private Future<JsonObject> establish(Session s, ConnectClaims claims, JsonObject subsReq) {
    if (s.state != Session.State.CONNECTING) {
      return Future.succeededFuture(new JsonObject()); // closed while a JWKS key was fetched
    }
    s.user = claims.user();
    s.connInfo = claims.info();
    s.expireAt = claims.expireAt();
    List<String> tokenChannels = claims.channels() == null ? List.of() : claims.channels();
    s.connected();

    JsonObject result = new JsonObject().put("client", s.id).put("version", NodeStatus.VERSION)
        .put("ping", s.services.limits().pingInterval().toSeconds()).put("pong", true);
    if (s.expireAt > 0) {
      result.put("expires", true).put("ttl", Math.max(1, s.expireAt - System.currentTimeMillis() / 1000));
    }
    Set<String> serverSide = new LinkedHashSet<>(tokenChannels);
    ChannelConfig cc = s.services.channels();
    if (cc.subscribeToPersonal() && !s.user.isEmpty()) {
      serverSide.add(ChannelName.personal(cc.personalNamespace(), s.user));
    }
    if (serverSide.isEmpty()) {
      return Future.succeededFuture(result);
    }
    // Pushes of these channels must not overtake the connect reply: hold them until it is written.
    s.holdPushes();
    List<Future<Void>> all = new ArrayList<>();
    JsonObject subs = new JsonObject();
    for (String channel : serverSide) {
      NamespaceOptions ns;
      try {
        ns = s.services.policy().resolve(channel);
      } catch (CoreException e) {
        continue; // a token naming an undefined namespace: skip that channel rather than refuse the user
      }
      JsonObject recover = subsReq == null ? null : JsonParams.optObject(subsReq, channel);
      RecoveryRequest req = serverSideRequest(ns, recover);
      all.add(SubscribeCommand.subscribe(s, channel, ns, req, ns.forcePushJoinLeave() || ns.joinLeave(), null, 0)
          .map(r -> {
            subs.put(channel, r);
            return null;
          }));
    }
    return Future.all(all).<JsonObject>map(v -> result.put("subs", subs))
        .recover(t -> Future.failedFuture(new DisconnectException(DisconnectCode.INTERNAL)));
  }

  /** A server-side subscription's recovery, as the client asked for it in connect's {@code subs}. */
  private static RecoveryRequest serverSideRequest(NamespaceOptions ns, JsonObject recover) {
    if (!ns.history()) {
      return RecoveryRequest.NONE;
    }
    boolean doRecover = recover != null && JsonParams.optBool(recover, "recover");
    long offset = recover == null ? 0 : JsonParams.optLong(recover, "offset", 0);
    String epoch = recover == null ? null : JsonParams.optString(recover, "epoch");
    return RecoveryRequest.serverSide(ns, doRecover, offset, epoch);
  }
}
