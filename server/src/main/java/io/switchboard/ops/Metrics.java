package io.switchboard.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Switchboard's own meters, next to the ones Vert.x publishes itself (HTTP, event bus, worker and SQL pools:
 * {@code vertx_pool_*}, including worker queue time). Everything here is cheap to call on the hot path:
 * counters are striped, and per-delivery work is one call per fan-out, not one per subscriber.
 */
public final class Metrics {
  private final MeterRegistry registry;
  private final Counter publications;
  private final Counter deliveries;
  private final DistributionSummary deliveryLatencyMs;
  private final AtomicLong subscriptions = new AtomicLong();
  private final Map<String, Counter> commands = new ConcurrentHashMap<>();
  private final Timer eventLoopLag;

  public Metrics(MeterRegistry registry) {
    this.registry = registry;
    publications = Counter.builder("switchboard_publications").description("Publications accepted").register(registry);
    deliveries = Counter.builder("switchboard_deliveries").description("Publication pushes written to subscribers").register(registry);
    deliveryLatencyMs = DistributionSummary.builder("switchboard_publish_to_delivery_ms")
        .description("From publish accepted to the push being queued on a subscriber's connection")
        // No baseUnit: the Prometheus registry would append it, making it ..._ms_milliseconds_bucket.
        .serviceLevelObjectives(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500)
        .register(registry);
    Gauge.builder("switchboard_subscriptions", subscriptions, AtomicLong::get)
        .description("Client subscriptions on this node").register(registry);
    eventLoopLag = Timer.builder("switchboard_event_loop_lag")
        .description("How late a periodic timer fires on each event loop: time the loop was busy")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(20),
            Duration.ofMillis(100), Duration.ofMillis(500))
        .register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public void published(int n) {
    publications.increment(n);
  }

  /** One call per publication per event loop: {@code n} subscribers got it. */
  public void delivered(int n, long acceptedAtMillis) {
    if (n > 0) {
      deliveries.increment(n);
      deliveryLatencyMs.record(Math.max(0, System.currentTimeMillis() - acceptedAtMillis));
    }
  }

  public void subscribed() {
    subscriptions.incrementAndGet();
  }

  public void unsubscribed() {
    subscriptions.decrementAndGet();
  }

  public void command(String method, String result) {
    commands.computeIfAbsent(method + '\0' + result, k -> Counter.builder("switchboard_commands")
        .description("Client commands by method and result")
        .tag("method", method).tag("result", result).register(registry)).increment();
  }

  private final Map<String, Counter> apiRequests = new ConcurrentHashMap<>();

  /** A server API call, by method ("unknown" for a method that does not exist) and result. */
  public void apiRequest(String method, String result) {
    apiRequests.computeIfAbsent(method + '\0' + result, k -> Counter.builder("switchboard_api_requests")
        .description("Server API calls by method and result")
        .tag("method", method).tag("result", result).register(registry)).increment();
  }

  private final Map<Integer, Counter> disconnects = new ConcurrentHashMap<>();

  /** A connection closed by the server, by protocol close code. */
  public void disconnected(int code) {
    disconnects.computeIfAbsent(code, c -> Counter.builder("switchboard_disconnects")
        .description("Connections closed by the server, by close code")
        .tag("code", Integer.toString(c)).register(registry)).increment();
  }

  public double disconnectCount(int code) {
    Counter c = disconnects.get(code);
    return c == null ? 0 : c.count();
  }

  public void eventLoopLag(long nanos) {
    eventLoopLag.record(nanos, TimeUnit.NANOSECONDS);
  }
}
