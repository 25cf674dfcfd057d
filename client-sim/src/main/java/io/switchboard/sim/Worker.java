package io.switchboard.sim;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** One process's worth of connections, as the coordinator sees it: in this JVM or a child JVM. */
interface Worker {
  void start();

  /** Every connection is up or has failed (or the ramp timed out). */
  boolean ready();

  /** False when the worker died. */
  boolean alive();

  /** The ticks (cumulative counters, interval histograms) since the last call. */
  List<JsonObject> ticks();

  void go();

  /** Stops client publishing and waits (bounded) for the acknowledgements. */
  void stopPublishing(long timeoutMs);

  void drop();

  /** The warm-up is over: latency histograms restart, counts so far are remembered (see Metrics). */
  void endWarmup();

  /** The final totals and loss report; closes the connections. Null if the worker died. */
  JsonObject finish(long timeoutMs);

  /** Ends the worker, whatever its state. */
  void kill();
}
