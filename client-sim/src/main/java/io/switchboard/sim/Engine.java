package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The connection side of one process: a Vert.x instance with one {@link LoopDriver} per event loop, sharing the
 * connections {@code [fromIndex, toIndex)} of the run round-robin.
 */
public final class Engine {
  private final EngineConfig config;
  private final Metrics metrics = new Metrics();
  private final List<LoopDriver> drivers = new ArrayList<>();
  private Vertx vertx;

  public Engine(EngineConfig config) {
    this.config = config;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Starts Vert.x and the drivers, then opens every connection; completes when the ramp is over. */
  public Future<Void> start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops()).setPreferNativeTransport(true)
        .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
    Jwt jwt = config.tokenSecret() == null || config.tokenSecret().isEmpty() ? null : new Jwt(config.tokenSecret());
    int loops = Math.max(1, Math.min(config.eventLoops(), Math.max(1, config.count())));
    List<List<Integer>> split = new ArrayList<>();
    for (int l = 0; l < loops; l++) {
      split.add(new ArrayList<>());
    }
    for (int i = config.fromIndex(); i < config.toIndex(); i++) {
      split.get((i - config.fromIndex()) % loops).add(i);
    }
    List<Future<?>> deployed = new ArrayList<>();
    for (int l = 0; l < loops; l++) {
      LoopDriver d = new LoopDriver(config, metrics, jwt, split.get(l), loops);
      drivers.add(d);
      deployed.add(vertx.deployVerticle(d, new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP)));
    }
    Promise<Void> ramped = Promise.promise();
    Future.all(deployed).onFailure(ramped::tryFail).onSuccess(v -> {
      List<Future<Void>> ramps = new ArrayList<>();
      drivers.forEach(d -> ramps.add(d.ramp()));
      Future.all(ramps).onComplete(ar -> ramped.tryComplete());
      vertx.setTimer(Math.max(1, config.rampTimeout().toMillis()), id -> ramped.tryComplete());
    });
    return ramped.future().onComplete(ar -> metrics.rampDone = true);
  }

  public void startPublishing() {
    drivers.forEach(LoopDriver::startPublishing);
  }

  public Future<Void> stopPublishing(long timeoutMs) {
    List<Future<Void>> all = new ArrayList<>();
    drivers.forEach(d -> all.add(d.stopPublishing(timeoutMs)));
    return Future.all(all).mapEmpty();
  }

  public void drop() {
    drivers.forEach(LoopDriver::drop);
  }

  /** Collects the loss report and the totals, then closes every connection and Vert.x. */
  public Future<JsonObject> finish() {
    List<Future<LossReport>> all = new ArrayList<>();
    drivers.forEach(d -> all.add(d.finish()));
    return Future.all(all).map(cf -> {
      LossReport loss = new LossReport();
      for (int i = 0; i < cf.size(); i++) {
        loss.merge(cf.resultAt(i));
      }
      return metrics.total().put("loss", loss.toJson());
    });
  }

  /** Waits briefly for close frames to go out, then stops Vert.x. Blocking; not on an event loop. */
  public void close() {
    if (vertx == null) {
      return;
    }
    long deadline = System.nanoTime() + 3_000_000_000L;
    while (metrics.open.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    try {
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
  }
}
