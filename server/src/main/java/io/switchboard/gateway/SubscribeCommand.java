package io.switchboard.gateway;

import io.switchboard.model.Failure;
import io.switchboard.auth.TokenException;
import io.switchboard.broker.RecoveryRequest;
import io.switchboard.broker.Subscription;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.protocol.DisconnectCode;
import io.switchboard.model.CoreException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.switchboard.protocol.SubscribeRequest;
import io.switchboard.protocol.SubscribeResult;

/** {@code subscribe}: permission or subscription token, then position/recovery, then presence and join. */
final class SubscribeCommand implements CommandHandler<SubscribeRequest, SubscribeResult> {

  @Override
  public Future<SubscribeResult> handle(Session s, SubscribeRequest q) {
    String channel = q.channel();
    if (s.subs.containsKey(channel)) {
      throw new CoreException(Failure.ALREADY_SUBSCRIBED);
    }
    if (s.subs.size() >= s.services.limits().maxSubscriptions()) {
      throw new CoreException(Failure.LIMIT_EXCEEDED, "too many subscriptions");
    }
    NamespaceOptions ns = s.services.policy().resolve(channel);
    s.checkSpeaks(ns);
    String token = q.token();
    RecoveryRequest req = SubscribeResults.request(ns, q);
    boolean joinLeave = ns.forcePushJoinLeave() || (ns.joinLeave() && q.joinLeave());
    if ((token == null || token.isEmpty()) && s.services.core().subscribing().backendDecides(ns)) {
      return proxied(s, channel, ns, req, joinLeave);
    }
    if (token == null || token.isEmpty()) {
      s.services.policy().checkSubscribe(channel, ns, s.user);
      return subscribe(s, channel, ns, req, joinLeave, null, 0);
    }
    return s.services.tokens().verifySubscriptionAsync(token)
        .recover(t -> Future.failedFuture(new CoreException(
            t instanceof TokenException e && e.kind() == TokenException.Kind.EXPIRED
                ? Failure.TOKEN_EXPIRED : Failure.PERMISSION_DENIED)))
        .compose(claims -> {
          if (!channel.equals(claims.channel()) || !s.user.equals(claims.user())
              || (!claims.client().isEmpty() && !claims.client().equals(s.id))) {
            return Future.failedFuture(new DisconnectException(DisconnectCode.INVALID_TOKEN));
          }
          if (s.subs.containsKey(channel)) {
            return Future.failedFuture(new CoreException(Failure.ALREADY_SUBSCRIBED));
          }
          return subscribe(s, channel, ns, req, joinLeave, claims.info(), claims.expireAt());
        });
  }

  /**
   * The namespace's subscribe proxy decides instead of its permissions (docs/proxy.md). With a sub_refresh
   * proxy the expiry it gives is extended server-side, so the client is not told of it.
   */
  private static Future<SubscribeResult> proxied(Session s, String channel, NamespaceOptions ns, RecoveryRequest req,
      boolean joinLeave) {
    var subscribing = s.services.core().subscribing();
    return subscribing.askBackend(ProxyCalls.context(s), channel, ns).compose(v -> {
      if (s.subs.containsKey(channel)) {
        return Future.failedFuture(new CoreException(Failure.ALREADY_SUBSCRIBED));
      }
      boolean serverSide = v.expireAt() > 0 && subscribing.backendRefreshes(ns) && s.proxy != null;
      Future<SubscribeResult> f = subscribe(s, channel, ns, req, joinLeave, v.info(), serverSide ? 0 : v.expireAt());
      if (serverSide) {
        s.subs.get(channel).sub().expireAt = v.expireAt();
        s.proxy.refreshedSubs.add(channel);
      }
      return f;
    });
  }

  /**
   * A subscription the server makes (connect's server-side channels, the API's subscribe): its result goes to
   * the client as a subscribe push. A JSON client is not subscribed to a binary channel.
   */
  static Future<?> serverSide(Session s, String channel, NamespaceOptions ns, RecoveryRequest req) {
    if (!s.speaks(ns)) {
      return Future.succeededFuture();
    }
    boolean joinLeave = ns.forcePushJoinLeave() || ns.joinLeave();
    return subscribe(s, channel, ns, req, joinLeave, null, 0)
        // Runs in the turn the subscription went live, so the push precedes the channel's publications.
        // deliver() (not write) keeps it behind a connect reply still being built. No push when the client
        // left the channel (or closed) while its position was being read: subscribe answers {} then.
        .onSuccess(result -> {
          if (s.isSubscribed(channel)) {
            s.deliver(s.codec().subscribePush(channel, result));
          }
        });
  }

  /**
   * Subscribes a session (client- or server-side). The result completes on the session's loop in the same
   * turn in which the subscription goes live, so the reply is queued before any push of the channel.
   */
  static Future<SubscribeResult> subscribe(Session s, String channel, NamespaceOptions ns, RecoveryRequest req,
      boolean joinLeave, String chanInfo, long expireAt) {
    Subscription sub = new Subscription(channel, s, joinLeave);
    sub.chanInfo = chanInfo;
    sub.expireAt = expireAt;
    Session.ActiveSub active = new Session.ActiveSub(sub, ns);
    s.subs.put(channel, active);
    Promise<SubscribeResult> promise = Promise.promise();
    s.services.core().subscribing().subscribe(s.loop, sub, ns, req, outcome -> {
      if (outcome.failure() != null) {
        if (s.subs.get(channel) == active) {
          s.dropSubscription(active);
        }
        promise.fail(new CoreException(Failure.INTERNAL));
        return;
      }
      if (s.subs.get(channel) != active) {
        promise.complete(SubscribeResult.EMPTY); // unsubscribed or closed meanwhile
        return;
      }
      promise.complete(SubscribeResults.of(req, outcome, expireAt));
      s.services.core().subscribing().joined(channel, ns, s.clientInfo(chanInfo));
    });
    return promise.future();
  }
}
