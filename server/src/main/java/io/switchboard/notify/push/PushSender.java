package io.switchboard.notify.push;

import io.switchboard.config.PushConfig;
import io.switchboard.storage.JdbcTarget;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The deployed push sender of a node, for every configured platform: {@code push.sender_threads} instances of {@link PushSenderVerticle} on the
 * worker pool {@value #POOL_NAME} of the same size (the blocking-adapter pattern of docs/architecture.md).
 */
public final class PushSender {
  public static final String POOL_NAME = "switchboard-push";
  /** Local event-bus address that wakes the senders of this node (body ignored). */
  public static final String WAKE_ADDRESS = "switchboard.push.wake";

  private final Vertx vertx;
  private final String deploymentId;
  private final Set<String> threads;
  private final PushMetrics metrics;

  private final MessageConsumer<Object> wake;
  private final Map<String, PushProvider> providers;

  private PushSender(Vertx vertx, String deploymentId, Set<String> threads, PushMetrics metrics,
      MessageConsumer<Object> wake, Map<String, PushProvider> providers) {
    this.vertx = vertx;
    this.providers = providers;
    this.wake = wake;
    this.metrics = metrics;
    this.deploymentId = deploymentId;
    this.threads = threads;
  }

  /**
   * Deploys the senders over {@code providers} (by platform: those configured), which the sender then owns and
   * closes. {@link #providerTimeout} is the deadline the providers were built with.
   */
  public static Future<PushSender> deploy(Vertx vertx, PushConfig config, Map<String, PushProvider> providers,
      JdbcTarget jdbc, PushMetrics metrics) {
    Duration timeout = providerTimeout(config);
    Set<String> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger instance = new AtomicInteger();
    DeploymentOptions options = new DeploymentOptions()
        .setThreadingModel(ThreadingModel.WORKER)
        .setWorkerPoolName(POOL_NAME)
        .setWorkerPoolSize(config.senderThreads())
        .setInstances(config.senderThreads())
        // A round may post up to BATCH messages, each bounded by the HTTP timeouts, all inside the lease.
        .setMaxWorkerExecuteTime(config.lease().toSeconds() + 30)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.SECONDS);
    List<PushSenderVerticle> instances = new CopyOnWriteArrayList<>();
    return vertx.deployVerticle(() -> {
          PushSenderVerticle v = new PushSenderVerticle(config, providers, timeout, jdbc, metrics, threads,
              instance.getAndIncrement() == 0);
          instances.add(v);
          return v;
        }, options)
        .compose(id -> {
          // One consumer for all instances; its handler only queues a round on each worker context.
          MessageConsumer<Object> wake = vertx.eventBus().localConsumer(WAKE_ADDRESS,
              m -> instances.forEach(PushSenderVerticle::wake));
          return wake.completion().map(v -> new PushSender(vertx, id, threads, metrics, wake, providers));
        });
  }

  /** The connect and response deadline (each) of every provider call, derived from {@code push.lease}. */
  public static Duration providerTimeout(PushConfig config) {
    return PushSenderVerticle.httpTimeout(config.lease());
  }

  /** Wakes this node's senders (from any thread; they also poll). */
  public static void wake(Vertx vertx) {
    vertx.eventBus().publish(WAKE_ADDRESS, null, new DeliveryOptions().setLocalOnly(true));
  }

  /** The names of the threads that have run the sender so far (tests check none is an event loop). */
  public Set<String> threadsSeen() {
    return Set.copyOf(threads);
  }

  public PushMetrics metrics() {
    return metrics;
  }

  public Future<Void> undeploy() {
    return wake.unregister().compose(v -> vertx.undeploy(deploymentId))
        .onComplete(v -> providers.values().forEach(PushProvider::close));
  }
}
