package io.switchboard.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a scenario in its phases: <b>ramp</b> (open every connection), <b>run</b> ({@code --duration}: publishers
 * on), <b>drain</b> (publishers off, deliveries still arriving), then merges every worker's result, computes
 * losses against the channels' final tops and writes the reports. Every phase is bounded in time.
 */
final class Runner {
  private final Scenario sc;
  private final CommonOptions o;

  Runner(Scenario sc) {
    this.sc = sc;
    this.o = sc.common;
  }

  /** The connections of process {@code i} of {@code p}: a contiguous slice of the run's indices. */
  static int[] slice(int n, int p, int i) {
    return new int[] {(int) ((long) n * i / p), (int) ((long) n * (i + 1) / p)};
  }

  EngineConfig engineConfig(int from, int to, int share) {
    return new EngineConfig(o.urlList(), o.pinFirstUrl, o.sourceIps, o.tokenSecret, o.raw, o.protocol, from, to, o.eventLoops,
        Math.max(1, o.concurrency / share), o.connectRate / share, o.connectTimeout, o.rampTimeout,
        sc.publishInterval(), sc.payloadBytes(), Duration.ofMillis(100), Duration.ofMillis(1000), sc.sdkBackoff(),
        o.wsClient == CommonOptions.WsClient.lean, sc::plan);
  }

  int run() {
    if (o.isChild()) {
      int[] s = slice(o.connections, o.procs, o.childIndex);
      long hard = o.rampTimeout.toMillis() + o.warmup.toMillis() + o.duration.toMillis() + o.drainMax.toMillis()
          + 180_000;
      return ChildMain.run(engineConfig(s[0], s[1], o.procs), hard);
    }
    Vertx vx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
    ApiClient api = new ApiClient(vx, o.apiList(), o.apiKey, 16);
    ProcSampler sampler = new ProcSampler(o.serverPids);
    ProcSampler self = new ProcSampler(List.of(ProcessHandle.current().pid())); // with the child JVMs
    List<Worker> workers = new ArrayList<>();
    if (o.procs == 1) {
      workers.add(new LocalWorker(engineConfig(0, o.connections, 1)));
    } else {
      for (int i = 0; i < o.procs; i++) {
        workers.add(new ChildWorker(ChildCommand.build(sc.spec, o, i, sc.runId), i));
      }
    }
    Progress progress = new Progress(o.quiet ? null : System.err);
    Instant startedAt = Instant.now();
    Publisher pub = null;
    try {
      System.err.printf("client-sim %s: %d connections over %d node(s), %d process(es), run id %s%n", sc.name(),
          o.connections, o.urlList().size(), o.procs, sc.runId);
      ProcSampler.Sample before = sampler.sample();
      ProcSampler.Sample clientBefore = self.sample();
      long rampStart = System.nanoTime();
      workers.forEach(Worker::start);
      long rampDeadline = rampStart + o.rampTimeout.toNanos() + 30_000_000_000L;
      long nextPoll = rampStart + 1_000_000_000L;
      while (!workers.stream().allMatch(Worker::ready) && System.nanoTime() < rampDeadline) {
        nextPoll = sleepAndPoll(nextPoll, progress, workers, "ramp", null, sampler);
      }
      double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
      ProcSampler.Sample afterRamp = sampler.sample();
      ProcSampler.Sample clientAfterRamp = self.sample();

      long goNanos = System.nanoTime();
      pub = api.enabled() ? sc.publisher(vx, api) : null;
      if (pub != null) {
        pub.start();
      }
      if (sc.clientsPublish()) {
        workers.forEach(Worker::go);
      }
      long warmEnd = goNanos + o.warmup.toNanos();
      while (System.nanoTime() < warmEnd) {
        nextPoll = sleepAndPoll(Math.min(nextPoll, warmEnd), progress, workers, "warm", pub, sampler);
      }
      if (!o.warmup.isZero()) {
        workers.forEach(Worker::endWarmup);
        if (pub != null) {
          pub.stats().endWarmup();
        }
      }
      long measureStart = System.nanoTime();
      ProcSampler.Sample atGo = sampler.sample();
      ProcSampler.Sample clientAtGo = self.sample();
      RunControl control = new RunControl(workers, measureStart);
      sc.duringRun(control);
      long runEnd = measureStart + o.duration.toNanos();
      while (System.nanoTime() < runEnd) {
        control.runDue();
        nextPoll = sleepAndPoll(Math.min(nextPoll, runEnd), progress, workers, "run", pub, sampler);
      }
      control.runDue();
      ProcSampler.Sample atStop = sampler.sample();
      if (pub != null) {
        LocalWorker.await(pub.stop(10_000), 12_000);
      }
      if (sc.clientsPublish()) {
        workers.parallelStream().forEach(w -> w.stopPublishing(10_000));
      }
      long stopNanos = System.nanoTime();
      long drainMin = stopNanos + o.drain.toNanos();
      long drainMax = stopNanos + o.drainMax.toNanos();
      Quiescence quiet = new Quiescence(sc.reconnects());
      while (System.nanoTime() < drainMax) {
        nextPoll = sleepAndPoll(Math.min(nextPoll, drainMax), progress, workers, "drain", pub, sampler);
        if (quiet.reached(progress.totals(), System.nanoTime()) && System.nanoTime() >= drainMin) {
          break;
        }
      }
      ProcSampler.Sample end = sampler.sample();
      ProcSampler.Sample clientEnd = self.sample();
      progress.poll(workers, "end", pub == null ? null : pub.stats(), sampler);

      List<JsonObject> results = new ArrayList<>();
      workers.parallelStream().map(w -> w.finish(60_000)).forEachOrdered(results::add);
      Merged merged = Merged.of(results);

      Map<String, Long> tops = new HashMap<>();
      Set<String> query = new LinkedHashSet<>(sc.channelsToQueryTop(merged.loss));
      if (pub != null) {
        tops.putAll(pub.stats().tops);
        query.addAll(pub.stats().unknownTops);
      }
      if (api.enabled() && !query.isEmpty()) {
        Map<String, Long> read = LocalWorker.await(HistoryTops.query(api, query), 60_000);
        if (read != null) {
          tops.putAll(read);
        }
      }
      JsonObject result = new Report(sc, o).build(new Report.Inputs(startedAt, rampSeconds,
          (stopNanos - measureStart) / 1e9, merged, tops, pub == null ? null : pub.stats(), progress.timeline(),
          sampler.enabled() ? new ProcSampler.Sample[] {before, afterRamp, atGo, atStop, end} : null,
          control.events(), workers.size(), clientEnd.cpuSeconds() - clientAtGo.cpuSeconds(),
          clientAfterRamp.cpuSeconds() - clientBefore.cpuSeconds()));
      sc.addResults(result);
      Report.write(result, o);
      System.out.println(Report.summary(result));
      return merged.counters.getLong("ok", 0L) == 0 ? 3 : 0;
    } finally {
      workers.forEach(Worker::kill);
      LocalWorker.await(api.close(), 5_000);
      LocalWorker.await(vx.close(), 10_000);
    }
  }

  private static long sleepAndPoll(long nextPoll, Progress progress, List<Worker> workers, String phase,
                                   Publisher pub, ProcSampler sampler) {
    long now = System.nanoTime();
    long wait = Math.min(nextPoll - now, 50_000_000L);
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    long after = System.nanoTime();
    if (after >= nextPoll) {
      progress.poll(workers, phase, pub == null ? null : pub.stats(), sampler);
      // after a stall (the main thread waited on something) resume the one-second rhythm, no burst of polls
      return Math.max(nextPoll + 1_000_000_000L, after + 500_000_000L);
    }
    return nextPoll;
  }

  /**
   * The drain is over once no delivery arrived for over a second and, in scenarios whose clients reconnect, no
   * client is between close and recovery.
   */
  static final class Quiescence {
    private final boolean reconnects;
    private long lastDelivered = -1;
    private long lastChangeNanos;

    Quiescence(boolean reconnects) {
      this.reconnects = reconnects;
    }

    boolean reached(JsonObject totals, long now) {
      long d = totals.getLong("delivered", 0L) + totals.getLong("recovered_pubs", 0L);
      if (d != lastDelivered) {
        lastDelivered = d;
        lastChangeNanos = now;
        return false;
      }
      boolean reconnecting = reconnects && totals.getLong("closed", 0L)
          > totals.getLong("recovered", 0L) + totals.getLong("not_recovered", 0L);
      return !reconnecting && now - lastChangeNanos >= 1_200_000_000L;
    }
  }

  /** Timed actions of the run phase (a drop, a kill), run on the coordinator's main thread. */
  static final class RunControl {
    private final List<Worker> workers;
    private final long goNanos;
    private final List<Object[]> actions = new ArrayList<>();
    private final JsonArray events = new JsonArray();

    RunControl(List<Worker> workers, long goNanos) {
      this.workers = workers;
      this.goNanos = goNanos;
    }

    void at(Duration afterGo, String what, Runnable action) {
      actions.add(new Object[] {goNanos + afterGo.toNanos(), what, action});
    }

    /** Every worker closes its connections abruptly (they reconnect and recover). */
    void dropAll() {
      workers.forEach(Worker::drop);
    }

    void runDue() {
      long now = System.nanoTime();
      for (var it = actions.iterator(); it.hasNext(); ) {
        Object[] a = it.next();
        if ((long) a[0] <= now) {
          it.remove();
          ((Runnable) a[2]).run();
          events.add(new JsonObject().put("t_ms", (now - goNanos) / 1_000_000).put("event", a[1]));
          System.err.println("client-sim: " + a[1]);
        }
      }
    }

    JsonArray events() {
      return events;
    }
  }

  /** The workers' final results merged: counters summed, histograms added, loss reports merged. */
  static final class Merged {
    final JsonObject counters = new JsonObject();
    final org.HdrHistogram.Histogram latency = Histo.create();
    final org.HdrHistogram.Histogram ack = Histo.create();
    final org.HdrHistogram.Histogram handshake = Histo.create();
    final org.HdrHistogram.Histogram recovery = Histo.create();
    final org.HdrHistogram.Histogram backAt = Histo.create();
    final LossReport loss = new LossReport();
    final JsonObject failures = new JsonObject();
    int missingWorkers;
    long firstAttemptMicros = Long.MAX_VALUE;
    long lastReadyMicros;

    static Merged of(Collection<JsonObject> results) {
      Merged m = new Merged();
      for (JsonObject r : results) {
        if (r == null || r.isEmpty()) {
          m.missingWorkers++;
          continue;
        }
        for (String k : r.fieldNames()) {
          Object v = r.getValue(k);
          if (v instanceof Number n && !k.endsWith("_us")) {
            m.counters.put(k, m.counters.getLong(k, 0L) + n.longValue());
          }
        }
        m.latency.add(Histo.decode(r.getString("h_latency")));
        m.ack.add(Histo.decode(r.getString("h_ack")));
        m.handshake.add(Histo.decode(r.getString("h_handshake")));
        m.recovery.add(Histo.decode(r.getString("h_recovery")));
        if (r.getString("h_back_at") != null) {
          m.backAt.add(Histo.decode(r.getString("h_back_at")));
        }
        m.loss.merge(LossReport.fromJson(r.getJsonObject("loss")));
        JsonObject f = r.getJsonObject("failures", new JsonObject());
        for (String k : f.fieldNames()) {
          m.failures.put(k, m.failures.getLong(k, 0L) + f.getLong(k));
        }
        long first = r.getLong("first_attempt_us", 0L);
        if (first > 0) {
          m.firstAttemptMicros = Math.min(m.firstAttemptMicros, first);
        }
        m.lastReadyMicros = Math.max(m.lastReadyMicros, r.getLong("last_ready_us", 0L));
      }
      return m;
    }
  }

  /** Reads the top offset of durable channels from the history API ({@code limit: 0}), 100 per batch call. */
  static final class HistoryTops {
    private HistoryTops() {}

    static Future<Map<String, Long>> query(ApiClient api, Collection<String> channels) {
      List<String> all = new ArrayList<>(channels);
      Map<String, Long> tops = new java.util.concurrent.ConcurrentHashMap<>();
      List<Future<Void>> calls = new ArrayList<>();
      for (int i = 0; i < all.size(); i += 100) {
        List<String> part = all.subList(i, Math.min(all.size(), i + 100));
        JsonArray cmds = new JsonArray();
        part.forEach(ch -> cmds.add(new JsonObject().put("history", new JsonObject().put("channel", ch)
            .put("limit", 0))));
        calls.add(api.call("batch", new JsonObject().put("commands", cmds).put("parallel", true)).map(r -> {
          JsonArray replies = r.getJsonArray("replies", new JsonArray());
          for (int j = 0; j < part.size() && j < replies.size(); j++) {
            JsonObject h = replies.getJsonObject(j).getJsonObject("history");
            if (h != null) {
              tops.put(part.get(j), h.getLong("offset", 0L));
            }
          }
          return null;
        }));
      }
      return Future.join(calls).map(v -> tops).otherwise(t -> tops);
    }
  }
}
