package io.switchboard.notify.push;

import io.switchboard.config.PushConfig;
import io.switchboard.notify.push.PushJobStore.Job;
import io.switchboard.storage.JdbcTarget;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push sender, for every platform: a {@link io.vertx.core.ThreadingModel#WORKER} verticle on the bounded pool
 * {@value PushSender#POOL_NAME}, one instance per {@code push.sender_threads}, each with its own JDBC connection
 * and blocking HTTP client. Everything here blocks, and nothing here runs on an event loop (the providers block too: FCM's OAuth2
 * client, and each call waits for its answers): the event loops only insert jobs and send a wake-up on the local event bus ({@link PushSender#WAKE_ADDRESS}), which queues a round on
 * each instance's worker context; the instance also polls
 * every {@link #POLL_MS} ms (retries coming due, jobs queued by other nodes).
 *
 * <p>One round: claim up to {@link #BATCH} due jobs with a lease; for each, send to the devices the job has not
 * dealt with yet, grouped by platform, at most {@link #CHUNK} per provider call, committing each call's answers
 * right after it ({@code push_job_devices}, or the device's deletion when its token is dead); then delete the
 * job, or reschedule it when a 429/5xx/network error needs another attempt. See docs/notifications.md, "Crash safety", for what a crash at each point does.
 */
final class PushSenderVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PushSenderVerticle.class);
  static final int BATCH = 10;
  /** Devices per provider call of a bulk send: sent concurrently, committed together. */
  static final int CHUNK = 100;
  static final long POLL_MS = 1000;
  static final Duration MAX_BACKOFF = Duration.ofHours(1);
  /** Room left for the commit after a post, inside the lease. */
  static final Duration COMMIT_MARGIN = Duration.ofSeconds(1);

  private final PushConfig config;
  private final PushMetrics metrics;
  private final Set<String> threads;
  private final boolean reportsQueue;
  private final PushJobStore store;
  private final Clock clock = Clock.systemUTC();
  private final Duration httpTimeout;
  private final Map<String, PushProvider> providers;
  private long timer;
  private boolean running;
  private boolean again;
  private boolean stopped;
  private long lastStatsMs;
  private long lastErrorLogMs;

  PushSenderVerticle(PushConfig config, Map<String, PushProvider> providers, Duration httpTimeout, JdbcTarget jdbc,
      PushMetrics metrics, Set<String> threads, boolean reportsQueue) {
    this.config = config;
    this.providers = providers;
    this.httpTimeout = httpTimeout;
    this.metrics = metrics;
    this.threads = threads;
    this.reportsQueue = reportsQueue;
    this.store = new PushJobStore(jdbc);
  }

  /**
   * The providers' connect and response deadline (each): a call, with one retry after refreshing credentials,
   * must fit in what is left of the lease.
   */
  static Duration httpTimeout(Duration lease) {
    Duration d = lease.minus(COMMIT_MARGIN).dividedBy(4);
    return d.compareTo(Duration.ofSeconds(10)) <= 0 ? d : Duration.ofSeconds(10);
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(POLL_MS, id -> kick());
    kick();
    return Future.succeededFuture();
  }

  /** From any thread (the wake-up consumer): a round soon, on this instance's worker context. */
  void wake() {
    context.runOnContext(v -> kick());
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    vertx.cancelTimer(timer);
    store.close();
    return Future.succeededFuture();
  }

  /** Runs a round on this instance's worker context, or notes that another is wanted after the current one. */
  private void kick() {
    if (running) {
      again = true;
      return;
    }
    running = true;
    context.runOnContext(v -> round());
  }

  private void round() {
    boolean more = false;
    try {
      if (!stopped) {
        threads.add(Thread.currentThread().getName());
        more = processBatch();
        stats();
      }
    } catch (SQLException | RuntimeException e) {
      store.reset();
      long now = System.currentTimeMillis();
      if (now - lastErrorLogMs > 30_000) {
        lastErrorLogMs = now;
        LOG.warn("push sender: {} (claimed jobs are retaken when their lease ends)", e.toString());
      }
    }
    running = false;
    if ((more || again) && !stopped) {
      again = false;
      kick();
    }
  }

  private void stats() throws SQLException {
    long now = System.currentTimeMillis();
    if (reportsQueue && now - lastStatsMs >= 5000) {
      lastStatsMs = now;
      long[] s = store.queueStats();
      metrics.queuedJobs.set(s[0]);
      metrics.oldestMillis.set(s[1]);
    }
  }

  /** One claim and its sends; true when the batch was full (more may be due). */
  private boolean processBatch() throws SQLException {
    long leaseStart = System.nanoTime();
    List<Job> jobs = store.claim(BATCH, config.lease());
    // Local deadline of the lease: it started no earlier than leaseStart on PostgreSQL's side, so ours ends first.
    long deadline = leaseStart + config.lease().toNanos();
    for (int i = 0; i < jobs.size(); i++) {
      if (stopped || !processOrPark(jobs.get(i), deadline)) {
        for (int j = i; j < jobs.size(); j++) {
          store.release(jobs.get(j).id());
        }
        return false;
      }
    }
    return jobs.size() == BATCH;
  }

  /** Whether a provider call started now would end, with a retry and its commit, before the lease does. */
  private boolean leaseAllowsSend(long deadline) {
    return deadline - System.nanoTime() > httpTimeout.multipliedBy(3).plus(COMMIT_MARGIN).toNanos();
  }

  /**
   * {@link #process}, except that a job whose processing throws (a bug, or a row no code expects) is logged
   * and rescheduled with backoff like a failed send, then given up after {@code push.max_attempts}: one bad job
   * must not stall the queue by failing every round that claims it.
   */
  private boolean processOrPark(Job job, long deadline) throws SQLException {
    try {
      return process(job, deadline);
    } catch (RuntimeException e) {
      LOG.error("push job {} failed (attempt {}); it is {}", job.id(), job.attempts(),
          job.attempts() >= config.maxAttempts() ? "given up" : "retried later", e);
      if (job.attempts() >= config.maxAttempts()) {
        store.deleteJob(job.id());
        metrics.failed("unknown", "error");
      } else {
        store.reschedule(job.id(), backoff(config.retryBase(), job.attempts()));
      }
      return true;
    }
  }

  /** Works one claimed job; false when the lease ran short before it was finished (it is released). */
  private boolean process(Job job, long deadline) throws SQLException {
    List<PushDevice> devices = store.pendingDevices(job);
    long ttl = Duration.between(clock.instant(), job.expireAt()).toSeconds();
    if (ttl <= 0) {
      devices.forEach(d -> metrics.failed(d.platform(), "expired"));
      store.deleteJob(job.id());
      return true;
    }
    Long badge = job.channel() != null && job.user() != null && !devices.isEmpty()
        ? store.unread(job.user(), job.channel()) : null;
    PushContent content = PushContents.of(job, ttl, badge);
    Duration retryAfter = null;
    List<String> retrying = new ArrayList<>(); // the platform of each device that wants another attempt
    for (Map.Entry<String, List<PushDevice>> group : byPlatform(devices).entrySet()) {
      PushProvider provider = providers.get(group.getKey());
      if (provider == null) {
        // registered while the platform was on, and it is off now: nothing can carry it
        store.markDone(job.id(), ids(group.getValue()), "no_provider");
        group.getValue().forEach(d -> metrics.failed(d.platform(), "no_provider"));
        continue;
      }
      List<PushDevice> all = group.getValue();
      // An inbox job (a user's few devices) commits each answer on its own, so a crash can repeat at most the one
      // send in flight; a bulk send commits per call of up to CHUNK devices, for throughput (docs/notifications.md).
      int chunk = job.deviceIds() == null ? 1 : CHUNK;
      for (int from = 0; from < all.size(); from += chunk) {
        if (stopped || !leaseAllowsSend(deadline)) {
          return false;
        }
        Duration r = sendChunk(job, provider, all.subList(from, Math.min(all.size(), from + chunk)), content,
            retrying);
        if (r != null && (retryAfter == null || r.compareTo(retryAfter) > 0)) {
          retryAfter = r;
        }
      }
    }
    if (retryAfter == null) {
      store.deleteJob(job.id());
    } else if (job.attempts() >= config.maxAttempts()) {
      for (PushDevice d : store.pendingDevices(job)) {
        metrics.failed(d.platform(), "given_up");
      }
      store.deleteJob(job.id());
      LOG.warn("push job {} given up after {} attempts", job.id(), job.attempts());
    } else {
      Duration backoff = backoff(config.retryBase(), job.attempts());
      store.reschedule(job.id(), retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff);
      retrying.forEach(metrics::retried);
    }
    return true;
  }

  /**
   * One provider call and the commit of its answers; the longest Retry-After wanted (ZERO when a device needs
   * another attempt without one), or null when none does.
   */
  private Duration sendChunk(Job job, PushProvider provider, List<PushDevice> chunk, PushContent content,
      List<String> retrying) throws SQLException {
    long start = System.nanoTime();
    List<PushResult> results = provider.send(chunk, content);
    metrics.call(provider.platform(), Duration.ofNanos(System.nanoTime() - start));
    List<String> sent = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    List<String> gone = new ArrayList<>();
    Duration retryAfter = null;
    Duration age = Duration.between(job.createdAt(), clock.instant());
    for (int i = 0; i < chunk.size(); i++) {
      PushDevice d = chunk.get(i);
      PushResult r = i < results.size() ? results.get(i) : PushResult.retry(0, null, "no answer");
      switch (r.outcome()) {
        case SENT -> {
          sent.add(d.id());
          metrics.sent(d.platform(), age);
        }
        case DEVICE_GONE -> {
          gone.add(d.id());
          metrics.removed(d.platform());
          LOG.debug("push device {} ({}) removed: {} {}", d.id(), d.platform(), r.status(), r.reason());
        }
        case REJECTED -> {
          rejected.add(d.id());
          metrics.failed(d.platform(), "rejected");
          LOG.warn("{} refused a push for job {} with {} {}: not retried", d.platform(), job.id(), r.status(),
              r.reason());
        }
        case RETRY -> {
          retrying.add(d.platform());
          Duration wait = r.retryAfter() == null ? Duration.ZERO : r.retryAfter();
          retryAfter = retryAfter == null || wait.compareTo(retryAfter) > 0 ? wait : retryAfter;
          LOG.debug("push to {} device {} for job {}: {} {}", d.platform(), d.id(), job.id(), r.status(), r.reason());
        }
      }
    }
    store.markDone(job.id(), sent, "sent");
    store.markDone(job.id(), rejected, "rejected");
    store.deleteDevices(gone);
    return retryAfter;
  }

  private static Map<String, List<PushDevice>> byPlatform(List<PushDevice> devices) {
    Map<String, List<PushDevice>> out = new LinkedHashMap<>();
    for (PushDevice d : devices) {
      out.computeIfAbsent(d.platform(), p -> new ArrayList<>()).add(d);
    }
    return out;
  }

  private static List<String> ids(List<PushDevice> devices) {
    return devices.stream().map(PushDevice::id).toList();
  }

  /** {@code base * 2^(attempt-1)}, capped at an hour. */
  static Duration backoff(Duration base, int attempt) {
    int shift = Math.max(0, Math.min(attempt - 1, 20));
    Duration d = base.multipliedBy(1L << shift);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }
}
