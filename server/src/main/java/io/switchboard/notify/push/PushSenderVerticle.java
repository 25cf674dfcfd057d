package io.switchboard.notify.push;

import io.switchboard.crypto.VapidKeys;
import io.switchboard.crypto.P256;
import io.switchboard.config.EndpointAllowlist;
import io.switchboard.config.PushConfig;
import io.switchboard.notify.push.PushJobStore.Job;
import io.switchboard.notify.push.PushJobStore.Subscription;
import io.switchboard.storage.JdbcTarget;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Push sender: a {@link io.vertx.core.ThreadingModel#WORKER} verticle on the bounded pool
 * {@value PushSender#POOL_NAME}, one instance per {@code push.sender_threads}, each with its own JDBC connection
 * and blocking HTTP client. Everything here blocks, and nothing here runs on an event loop: the event loops only
 * insert jobs and send a wake-up on the local event bus ({@link PushSender#WAKE_ADDRESS}), which queues a round on
 * each instance's worker context; the instance also polls
 * every {@link #POLL_MS} ms (retries coming due, jobs queued by other nodes).
 *
 * <p>One round: claim up to {@link #BATCH} due jobs with a lease; for each, post to each subscription of the user
 * that the job has not dealt with yet, committing each answer right away ({@code push_job_deliveries}, or the
 * subscription's deletion on 404/410); then delete the job, or reschedule it when a 429/5xx/network error needs
 * another attempt. See docs/notifications.md, "Crash safety", for what a crash at each point does.
 */
final class PushSenderVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PushSenderVerticle.class);
  static final int BATCH = 10;
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
  private final VapidKeys keys;
  private PushPoster poster;
  private long timer;
  private boolean running;
  private boolean again;
  private boolean stopped;
  private long lastStatsMs;
  private long lastErrorLogMs;

  PushSenderVerticle(PushConfig config, VapidKeys keys, JdbcTarget jdbc, PushMetrics metrics, Set<String> threads,
      boolean reportsQueue) {
    this.config = config;
    this.keys = keys;
    this.metrics = metrics;
    this.threads = threads;
    this.reportsQueue = reportsQueue;
    this.store = new PushJobStore(jdbc);
    // Connect and response timeouts each; a send must fit twice into what is left of the lease.
    this.httpTimeout = min(Duration.ofSeconds(10), config.lease().minus(COMMIT_MARGIN).dividedBy(3));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public Future<?> start() {
    poster = new PushPoster(new Vapid(keys, config.vapidSubject(), clock), httpTimeout, clock);
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
    poster.close();
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
      if (stopped || !process(jobs.get(i), deadline)) {
        for (int j = i; j < jobs.size(); j++) {
          store.release(jobs.get(j).id());
        }
        return false;
      }
    }
    return jobs.size() == BATCH;
  }

  /** Whether a send started now would end, with its commit, before the lease does. */
  private boolean leaseAllowsSend(long deadline) {
    return deadline - System.nanoTime() > httpTimeout.multipliedBy(2).plus(COMMIT_MARGIN).toNanos();
  }

  /** Works one claimed job; false when the lease ran short before it was finished (it is released). */
  private boolean process(Job job, long deadline) throws SQLException {
    PushMessage msg = PushMessage.of(job.channel(), job.offset(), job.payload());
    Duration age = Duration.between(job.createdAt(), clock.instant());
    List<Subscription> subs = store.pendingSubscriptions(job);
    long ttl = msg.remainingTtl(age);
    if (ttl <= 0) {
      subs.forEach(s -> metrics.failed("expired"));
      store.deleteJob(job.id());
      return true;
    }
    boolean retry = false;
    Duration retryAfter = Duration.ZERO;
    for (Subscription sub : subs) {
      if (!leaseAllowsSend(deadline)) {
        return false;
      }
      PushPoster.Result r = send(sub, msg, ttl);
      if (r == null) {
        continue;
      }
      if (r.accepted()) {
        store.markDone(job.id(), sub.id(), "sent");
        metrics.sent(age);
      } else if (r.gone()) {
        store.deleteSubscription(sub.id());
        metrics.removed();
      } else if (r.retryable()) {
        retry = true;
        if (r.retryAfter() != null && r.retryAfter().compareTo(retryAfter) > 0) {
          retryAfter = r.retryAfter();
        }
        LOG.debug("push to {} for job {}: {} {}", origin(sub), job.id(), r.status(), r.error());
      } else {
        store.markDone(job.id(), sub.id(), "rejected");
        metrics.failed("rejected");
        LOG.warn("push service {} refused job {} with HTTP {}: not retried", origin(sub), job.id(), r.status());
      }
    }
    if (!retry) {
      store.deleteJob(job.id());
    } else if (job.attempts() >= config.maxAttempts()) {
      int left = store.pendingSubscriptions(job).size();
      for (int i = 0; i < left; i++) {
        metrics.failed("given_up");
      }
      store.deleteJob(job.id());
      LOG.warn("push job {} given up after {} attempts", job.id(), job.attempts());
    } else {
      Duration backoff = backoff(config.retryBase(), job.attempts());
      store.reschedule(job.id(), retryAfter.compareTo(backoff) > 0 ? retryAfter : backoff);
      metrics.retried();
    }
    return true;
  }

  /** Encrypts and posts; null when the stored subscription itself is unusable (it is deleted). */
  private PushPoster.Result send(Subscription sub, PushMessage msg, long ttl) throws SQLException {
    URI endpoint;
    byte[] body;
    try {
      // Re-checked at send time: the allowlist may have shrunk since the subscription was stored.
      endpoint = config.allowlist().check(sub.endpoint());
      body = Aes128gcm.encrypt(msg.plaintext(), P256.publicKey(P256.b64(sub.p256dh())), P256.b64(sub.auth()));
    } catch (EndpointAllowlist.Refused | IllegalArgumentException e) {
      LOG.warn("push subscription {} dropped: {}", sub.id(), e.getMessage());
      store.deleteSubscription(sub.id());
      metrics.removed();
      return null;
    }
    return poster.post(endpoint, body, ttl, msg.urgency(), msg.topic());
  }

  /** {@code base * 2^(attempt-1)}, capped at an hour. */
  static Duration backoff(Duration base, int attempt) {
    int shift = Math.max(0, Math.min(attempt - 1, 20));
    Duration d = base.multipliedBy(1L << shift);
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private static String origin(Subscription sub) {
    try {
      return Vapid.origin(URI.create(sub.endpoint()));
    } catch (RuntimeException e) {
      return "?";
    }
  }
}
