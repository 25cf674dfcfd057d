package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The connections run in this JVM. */
final class LocalWorker implements Worker {
  private final Engine engine;
  private Future<Void> ramp;

  LocalWorker(EngineConfig config) {
    this.engine = new Engine(config);
  }

  Engine engine() {
    return engine;
  }

  @Override
  public void start() {
    ramp = engine.start();
  }

  @Override
  public boolean ready() {
    return ramp != null && ramp.isComplete();
  }

  @Override
  public boolean alive() {
    return true;
  }

  @Override
  public List<JsonObject> ticks() {
    return List.of(engine.metrics().tick());
  }

  @Override
  public void go() {
    engine.startPublishing();
  }

  @Override
  public void stopPublishing(long timeoutMs) {
    await(engine.stopPublishing(timeoutMs), timeoutMs + 1000);
  }

  @Override
  public void endWarmup() {
    engine.metrics().endWarmup();
  }

  @Override
  public void drop() {
    engine.drop();
  }

  @Override
  public JsonObject finish(long timeoutMs) {
    JsonObject r = await(engine.finish(), timeoutMs);
    engine.close();
    return r;
  }

  @Override
  public void kill() {
    engine.close();
  }

  static <T> T await(Future<T> f, long timeoutMs) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null;
    }
  }
}
