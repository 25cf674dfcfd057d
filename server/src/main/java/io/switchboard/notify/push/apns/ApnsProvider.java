package io.switchboard.notify.push.apns;

import io.switchboard.config.ApnsConfig;
import io.switchboard.notify.push.PushContent;
import io.switchboard.notify.push.PushDevice;
import io.switchboard.notify.push.PushProvider;
import io.switchboard.notify.push.PushResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apple Push Notification service over HTTP/2 with a provider token. One {@link HttpClient} forced to HTTP/2
 * (APNs speaks nothing else) multiplexes every request on one connection: a call sends all its devices at once
 * and waits for all answers with one deadline. A 403 ExpiredProviderToken renews the token once and retries that
 * device within the same call; every other answer maps as {@link ApnsAnswer} says.
 */
public final class ApnsProvider implements PushProvider {
  private static final Logger log = LoggerFactory.getLogger(ApnsProvider.class);
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{1,400}");
  private static final long CONFIG_LOG_EVERY_MS = 60_000;

  private final ApnsConfig config;
  private final String base;
  private final Duration timeout;
  private final Clock clock;
  private final ProviderToken token;
  private final HttpClient http;
  private final ReentrantLock connecting = new ReentrantLock();
  /** An answer came back and no network error since: the client holds an open connection to reuse. */
  private volatile boolean connected;
  private final AtomicLong lastConfigLog = new AtomicLong(Long.MIN_VALUE / 2);

  /** Reads the key (and the trust file): a {@code ConfigException} naming the key when one cannot be used. */
  public ApnsProvider(ApnsConfig config, Duration timeout) {
    this(config, timeout, Clock.systemUTC());
  }

  ApnsProvider(ApnsConfig config, Duration timeout, Clock clock) {
    this.config = config;
    this.timeout = timeout;
    this.clock = clock;
    String origin = config.endpoint().toString();
    this.base = origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin;
    this.token = new ProviderToken(config.keyFile(), config.keyId(), config.teamId(), clock);
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (config.trustFile() != null) {
      b.sslContext(PemTrust.context(config.trustFile()));
    }
    this.http = b.build();
  }

  @Override
  public String platform() {
    return PushDevice.APNS;
  }

  @Override
  public List<PushResult> send(List<PushDevice> devices, PushContent content) {
    if (devices.isEmpty()) {
      return List.of();
    }
    ApnsNotification n = ApnsNotification.of(content, config.topic(), clock.instant().getEpochSecond());
    if (n.payload().length > ApnsNotification.MAX_PAYLOAD) {
      // APNs would answer 413 PayloadTooLarge: the title, data or override alone are too big.
      PushResult r = PushResult.rejected(0, "PayloadTooLarge: " + n.payload().length + " bytes even with the body cut "
          + "(limit " + ApnsNotification.MAX_PAYLOAD + "), not sent");
      return devices.stream().map(d -> r).toList();
    }
    // connect + response, and one more response for a device retried with a renewed token
    long deadline = System.nanoTime() + timeout.multipliedBy(3).toNanos();
    String jwt = token.get();
    List<CompletableFuture<PushResult>> answers = new ArrayList<>(devices.size());
    answers.add(warmUp(devices.getFirst(), n, content.tag(), jwt, deadline));
    for (PushDevice d : devices.subList(1, devices.size())) {
      answers.add(post(d, n, content.tag(), jwt, true));
    }
    try {
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
          .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // each answer below says for itself
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<PushResult> results = new ArrayList<>(devices.size());
    for (CompletableFuture<PushResult> f : answers) {
      PushResult r = f.isDone() && !f.isCompletedExceptionally() ? f.getNow(null) : null;
      if (r == null) {
        f.cancel(true);
        r = PushResult.retry(0, null, "no answer within " + timeout.multipliedBy(3).toMillis() + " ms");
      }
      results.add(r);
    }
    return results;
  }

  /**
   * Sends to the first device; with no connection open yet, waits for its answer first. The JDK client opens a
   * connection per request until one is up: 100 requests on a cold client would make dozens of TLS connections
   * where APNs wants one. One thread warms up at a time; the others wait for it (within their deadline).
   */
  private CompletableFuture<PushResult> warmUp(PushDevice d, ApnsNotification n, String tag, String jwt,
      long deadline) {
    if (connected) {
      return post(d, n, tag, jwt, true);
    }
    try {
      if (!connecting.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return post(d, n, tag, jwt, true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return post(d, n, tag, jwt, true);
    }
    CompletableFuture<PushResult> first = post(d, n, tag, jwt, true);
    try {
      if (!connected) {
        first.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // past the deadline: send() says RETRY for it
    } finally {
      connecting.unlock();
    }
    return first;
  }

  private CompletableFuture<PushResult> post(PushDevice d, ApnsNotification n, String tag, String jwt,
      boolean mayRenew) {
    if (d.token() == null || !HEX.matcher(d.token()).matches()) {
      return CompletableFuture.completedFuture(PushResult.rejected(0, "device token is not hex: not sent"));
    }
    HttpRequest req;
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/3/device/" + d.token()))
          .timeout(timeout)
          .POST(HttpRequest.BodyPublishers.ofByteArray(n.payload()))
          .header("authorization", "bearer " + jwt)
          .header("apns-id", ApnsNotification.apnsId(tag, d.id()));
      for (Map.Entry<String, String> h : n.headers().entrySet()) {
        b.setHeader(h.getKey(), h.getValue());
      }
      req = b.build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(PushResult.rejected(0, "cannot make the request: " + e.getMessage()));
    }
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((resp, err) -> {
      if (err != null) {
        connected = false;
        return CompletableFuture.completedFuture(PushResult.retry(0, null, describe(err)));
      }
      connected = true;
      int status = resp.statusCode();
      String reason = ApnsAnswer.reason(resp.body());
      if (status == 403 && ApnsAnswer.EXPIRED_PROVIDER_TOKEN.equals(reason)) {
        if (mayRenew) {
          return post(d, n, tag, token.renewAfter(jwt), false);
        }
        configProblem("APNs calls a provider token made a moment ago expired: is this host's clock right?");
        return CompletableFuture.completedFuture(PushResult.retry(status, null, reason + " after a renewal"));
      }
      if (status == 403 && ApnsAnswer.INVALID_PROVIDER_TOKEN.equals(reason)) {
        configProblem("APNs refuses the provider token (InvalidProviderToken): check push.apns.key_file, key_id "
            + "and team_id belong together");
      }
      return CompletableFuture.completedFuture(ApnsAnswer.map(status, reason,
          resp.headers().firstValue("retry-after").orElse(null), clock.instant()));
    }).thenCompose(f -> f);
  }

  /** A configuration problem fails every push: say so, but once a minute, not once per device. */
  private void configProblem(String message) {
    long now = System.currentTimeMillis();
    long last = lastConfigLog.get();
    if (now - last >= CONFIG_LOG_EVERY_MS && lastConfigLog.compareAndSet(last, now)) {
      log.error("{} (topic {}, key id {}, team id {})", message, config.topic(), config.keyId(), config.teamId());
    }
  }

  private String describe(Throwable err) {
    Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (e instanceof HttpTimeoutException) {
      return "timeout: " + e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  @Override
  public void close() {
    http.close();
  }
}
