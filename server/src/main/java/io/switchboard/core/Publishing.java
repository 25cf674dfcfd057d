package io.switchboard.core;

import io.switchboard.broker.Broker;
import io.switchboard.broker.PublishResult;
import io.switchboard.channel.ChannelPolicy;
import io.switchboard.config.NamespaceOptions;
import io.switchboard.config.PayloadConfig;
import io.switchboard.history.HistoryStore;
import io.switchboard.model.ClientInfo;
import io.switchboard.model.Publication;
import io.switchboard.ops.Metrics;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * The one publish path of every front end: a client's publish, a backend's API call, the outbox and the
 * bulk notify all end in the {@link Broker}, so every publication is sequenced, stored and fanned out alike.
 * Callers resolve the channel through the {@link ChannelPolicy} first (its errors come before anything else).
 */
public final class Publishing {
  private final ChannelPolicy policy;
  private final Broker broker;
  private final Metrics metrics;
  private final PayloadConfig limits;
  private final ChannelBackend backend;

  public Publishing(ChannelPolicy policy, Broker broker, Metrics metrics, PayloadConfig limits) {
    this(policy, broker, metrics, limits, ChannelBackend.NONE);
  }

  /** With the application {@code backend} deciding client publications of the namespaces it proxies. */
  public Publishing(ChannelPolicy policy, Broker broker, Metrics metrics, PayloadConfig limits,
      ChannelBackend backend) {
    this.policy = policy;
    this.broker = broker;
    this.metrics = metrics;
    this.limits = limits;
    this.backend = backend;
  }

  /** The limits every publication's data passes ({@link PublicationData}); the other paths of data check them too. */
  public PayloadConfig limits() {
    return limits;
  }

  /**
   * A client's publication, answered after the commit: the namespace must let clients (or, when
   * {@code subscribed}, subscribers) publish. {@code publisher} goes out with it as its info. {@code opaque}:
   * the bytes were not parsed as JSON by the client's codec ({@link PublicationData}).
   */
  public Future<PublishResult> byClient(String channel, NamespaceOptions ns, byte[] data, boolean opaque,
      ClientInfo publisher, boolean subscribed) {
    return byClient(channel, ns, data, opaque, publisher, subscribed, null);
  }

  /**
   * As above; in a namespace with a publish proxy the application backend decides instead of the namespace's
   * permissions ({@code who} is what it is told): it may refuse, or replace the data, and only what it
   * accepted is stored and delivered, still answered after the commit.
   */
  public Future<PublishResult> byClient(String channel, NamespaceOptions ns, byte[] data, boolean opaque,
      ClientInfo publisher, boolean subscribed, ClientContext who) {
    if (who == null || !backend.decidesPublish(ns)) {
      policy.checkPublish(ns, subscribed);
      boolean json = PublicationData.json(ns, data, opaque, limits);
      metrics.published(1);
      return broker.publish(channel, ns, data, json, publisher, null, null, false);
    }
    boolean json = PublicationData.json(ns, data, opaque, limits);
    return backend.publish(who, channel, ns, data, json).compose(v -> {
      byte[] accepted = v.data() == null ? data : v.data();
      // Replaced data passes the same rules as a client's (a backend cannot break a JSON subscriber's frame).
      boolean acceptedJson = v.data() == null ? json : PublicationData.json(ns, accepted, !v.json(), limits);
      metrics.published(1);
      return broker.publish(channel, ns, accepted, acceptedJson, publisher, v.tags(), null, v.skipHistory());
    });
  }

  /**
   * A backend's publication: no client permission applies and it carries no publisher info ({@code opaque}:
   * base64 data, see {@link PublicationData}). With an idempotency key a retried call is answered with the
   * first one's position and delivers nothing twice.
   */
  public Future<PublishResult> byServer(String channel, NamespaceOptions ns, byte[] data, boolean opaque,
      Map<String, String> tags, String idempotencyKey, boolean skipHistory) {
    boolean json = PublicationData.json(ns, data, opaque, limits);
    metrics.published(1);
    return broker.publish(channel, ns, data, json, null, tags, idempotencyKey, skipHistory);
  }

  /**
   * Publications of one channel that a transaction of their caller's committed (the outbox: rows and
   * publications in one transaction), delivered to every subscriber like any other. (The outbox counts them
   * in its own metric.)
   */
  public void committed(String channel, List<Publication> pubs, long acceptedAtMillis) {
    broker.deliverCommitted(channel, pubs, acceptedAtMillis);
  }

  /** One publication in each of many channels, committed together (a bulk notify). */
  public void committedToEach(List<HistoryStore.AppendResult> results, long acceptedAtMillis) {
    broker.deliverCommitted(results, acceptedAtMillis);
  }
}
