package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The connections of one event loop. It owns their WebSocket clients (one per source address), opens them at
 * the configured rate and concurrency, and drives the publishing schedule. Everything runs on its own loop.
 */
final class LoopDriver extends VerticleBase {
  final EngineConfig config;
  final Metrics metrics;
  final Jwt jwt;
  private final List<Integer> indices;
  private final List<SimConnection> conns = new ArrayList<>();
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final List<io.vertx.core.net.NetClient> netClients = new ArrayList<>();
  private final double rate;
  private final int concurrency;
  private final Promise<Void> rampDone = Promise.promise();
  int outstandingPublishes;
  private int next;
  private int inFlight;
  private long rampStartNanos;
  private long rampTimer = -1;
  private long publishTimer = -1;

  LoopDriver(EngineConfig config, Metrics metrics, Jwt jwt, List<Integer> indices, int loops) {
    this.config = config;
    this.metrics = metrics;
    this.jwt = jwt;
    this.indices = indices;
    this.rate = config.connectRate() / loops;
    this.concurrency = Math.max(1, (config.concurrency() + loops - 1) / loops);
  }

  Vertx vertx() {
    return vertx;
  }

  @Override
  public Future<?> start() {
    List<String> ips = config.sourceIps().isEmpty() ? java.util.Collections.singletonList(null) : config.sourceIps();
    for (String ip : ips) {
      WebSocketClientOptions o = new WebSocketClientOptions()
          .setMaxConnections(Integer.MAX_VALUE)
          .setMaxFrameSize(1 << 20)
          .setMaxMessageSize(16 << 20)
          .setTryUsePerMessageCompression(false)
          .setTryUsePerFrameCompression(false)
          .setConnectTimeout((int) config.connectTimeout().toMillis())
          .setTcpNoDelay(true)
          .setReuseAddress(true);
      if (ip != null) {
        o.setLocalAddress(ip);
      }
      clients.add(vertx.createWebSocketClient(o));
      if (config.leanClient()) {
        io.vertx.core.net.NetClientOptions n = new io.vertx.core.net.NetClientOptions()
            .setConnectTimeout((int) config.connectTimeout().toMillis()).setTcpNoDelay(true).setReuseAddress(true);
        if (ip != null) {
          n.setLocalAddress(ip);
        }
        netClients.add(vertx.createNetClient(n));
      }
    }
    for (int i : indices) {
      conns.add(new SimConnection(this, i, config.planner().apply(i)));
    }
    return Future.succeededFuture();
  }

  io.vertx.core.net.NetClient netClientFor(int index) {
    return netClients.get(index % netClients.size());
  }

  WebSocketClient clientFor(int index) {
    return clients.get(index % clients.size());
  }

  /** Opens every connection of this loop; completes when each is ready or has failed. */
  Future<Void> ramp() {
    context.runOnContext(v -> {
      rampStartNanos = System.nanoTime();
      rampStep();
      if (!rampDone.future().isComplete()) {
        rampTimer = vertx.setPeriodic(5, id -> rampStep());
      }
    });
    return rampDone.future();
  }

  private void rampStep() {
    double elapsed = (System.nanoTime() - rampStartNanos) / 1e9;
    long allowed = rate <= 0 ? Long.MAX_VALUE : (long) (rate * elapsed) + 1;
    while (next < conns.size() && inFlight < concurrency && next < allowed) {
      inFlight++;
      conns.get(next++).open();
    }
    if (next == conns.size() && inFlight == 0) {
      if (rampTimer >= 0) {
        vertx.cancelTimer(rampTimer);
        rampTimer = -1;
      }
      rampDone.tryComplete();
    }
  }

  /** A connection's first attempt ended (ready or failed). */
  void attemptFinished() {
    inFlight--;
    if (next == conns.size() && inFlight == 0) {
      rampStep();
    }
  }

  /** Each connection with a publish channel publishes once per interval, spread evenly over the interval. */
  void startPublishing() {
    context.runOnContext(v -> {
      long intervalMs = Math.max(10, config.publishInterval().toMillis());
      int slots = (int) Math.max(1, intervalMs / 10);
      long startNanos = System.nanoTime();
      long[] done = {0};
      publishTimer = vertx.setPeriodic(10, id -> {
        long due = (System.nanoTime() - startNanos) / 10_000_000L + 1;
        for (long tick = done[0]; tick < due && tick < done[0] + slots; tick++) {
          int slot = (int) (tick % slots);
          for (int i = slot; i < conns.size(); i += slots) {
            conns.get(i).publish();
          }
        }
        done[0] = due;
      });
    });
  }

  /** Stops publishing; completes when every publish is answered or after {@code timeoutMs}. */
  Future<Void> stopPublishing(long timeoutMs) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      if (publishTimer >= 0) {
        vertx.cancelTimer(publishTimer);
        publishTimer = -1;
      }
      long deadline = System.nanoTime() + timeoutMs * 1_000_000;
      vertx.setPeriodic(20, id -> {
        if (outstandingPublishes <= 0 || System.nanoTime() > deadline) {
          vertx.cancelTimer(id);
          p.tryComplete();
        }
      });
    });
    return p.future();
  }

  void drop() {
    context.runOnContext(v -> conns.forEach(SimConnection::drop));
  }

  /** The loss report of this loop's connections, then closes them. */
  Future<LossReport> finish() {
    Promise<LossReport> p = Promise.promise();
    context.runOnContext(v -> {
      if (rampTimer >= 0) {
        vertx.cancelTimer(rampTimer);
      }
      if (publishTimer >= 0) {
        vertx.cancelTimer(publishTimer);
      }
      LossReport r = new LossReport();
      for (SimConnection c : conns) {
        c.subs().forEach((ch, s) -> {
          if (s.tracker != null) {
            r.add(ch, s.tracker);
          }
        });
        c.shutdown();
      }
      p.complete(r);
    });
    return p.future();
  }
}
