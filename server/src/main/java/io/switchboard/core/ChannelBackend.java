package io.switchboard.core;

import io.switchboard.config.NamespaceOptions;
import io.vertx.core.Future;
import java.util.Map;

/**
 * The application backend's say over what clients do in channels: subscribe, publish and subscription
 * refresh, per namespace. Front-end neutral: every front end's subscribe and publish ask it through
 * {@link Subscribing} and {@link Publishing}. A refusal fails the future with a
 * {@link io.switchboard.model.BackendRefusal}; a backend that cannot be reached with a
 * {@link io.switchboard.model.CoreException} (internal, or too many requests when the node's bound is
 * reached).
 */
public interface ChannelBackend {

  /** Whether the backend decides subscriptions to this namespace (instead of its permission options). */
  boolean decidesSubscribe(NamespaceOptions ns);

  /** Whether the backend decides (and may rewrite) client publications to this namespace. */
  boolean decidesPublish(NamespaceOptions ns);

  /** Whether the backend extends expiring subscriptions of this namespace. */
  boolean refreshesSubscriptions(NamespaceOptions ns);

  Future<SubscribeVerdict> subscribe(ClientContext who, String channel, NamespaceOptions ns);

  /** {@code json}: whether {@code data} is JSON text (else bytes nobody has read, sent as base64). */
  Future<PublishVerdict> publish(ClientContext who, String channel, NamespaceOptions ns, byte[] data, boolean json);

  Future<SubRefreshVerdict> subRefresh(ClientContext who, String channel, NamespaceOptions ns);

  /** Allowed: {@code info} (JSON text or null) goes with the subscriber; {@code expireAt} epoch s, 0 = never. */
  record SubscribeVerdict(String info, long expireAt) {}

  /**
   * Accepted: {@code data} null keeps the client's data, else it replaces it ({@code json}: JSON text, else
   * bytes); {@code skipHistory} and {@code tags} as in the server API's publish.
   */
  record PublishVerdict(byte[] data, boolean json, boolean skipHistory, Map<String, String> tags) {
    public static final PublishVerdict AS_SENT = new PublishVerdict(null, true, false, null);
  }

  /** {@code expired}: the subscription ends; else it lasts to {@code expireAt} (0 = never), with new info if set. */
  record SubRefreshVerdict(boolean expired, long expireAt, String info) {}

  /** No backend: nothing is proxied. */
  ChannelBackend NONE = new ChannelBackend() {
    @Override
    public boolean decidesSubscribe(NamespaceOptions ns) {
      return false;
    }

    @Override
    public boolean decidesPublish(NamespaceOptions ns) {
      return false;
    }

    @Override
    public boolean refreshesSubscriptions(NamespaceOptions ns) {
      return false;
    }

    @Override
    public Future<SubscribeVerdict> subscribe(ClientContext who, String channel, NamespaceOptions ns) {
      throw new IllegalStateException("no subscribe proxy");
    }

    @Override
    public Future<PublishVerdict> publish(ClientContext who, String channel, NamespaceOptions ns, byte[] data,
        boolean json) {
      throw new IllegalStateException("no publish proxy");
    }

    @Override
    public Future<SubRefreshVerdict> subRefresh(ClientContext who, String channel, NamespaceOptions ns) {
      throw new IllegalStateException("no sub_refresh proxy");
    }
  };
}
