package io.switchboard.notify.push;

import io.switchboard.config.EndpointAllowlist;
import io.switchboard.config.PushConfig;
import io.switchboard.crypto.P256;
import io.switchboard.crypto.VapidKeys;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web Push (RFC 8030/8291/8292) as a {@link PushProvider}: per device, encrypt for its keys, sign VAPID for its
 * push service's origin and POST; all devices of a call at once. A stored endpoint is re-checked against
 * {@code push.allowed_endpoints} at send time (the list may have shrunk since), and a device whose endpoint or
 * keys can no longer be used is reported gone.
 */
public final class WebPushProvider implements PushProvider {
  private static final Logger LOG = LoggerFactory.getLogger(WebPushProvider.class);

  private final PushConfig config;
  private final PushPoster poster;

  public WebPushProvider(PushConfig config, Duration timeout) {
    this.config = config;
    VapidKeys keys = VapidKeys.parse(config.vapidPublicKey(), config.vapidPrivateKey());
    this.poster = new PushPoster(new Vapid(keys, config.vapidSubject(), Clock.systemUTC()), timeout,
        Clock.systemUTC());
  }

  @Override
  public String platform() {
    return PushDevice.WEBPUSH;
  }

  @Override
  public List<PushResult> send(List<PushDevice> devices, PushContent content) {
    PushMessage msg = PushMessage.of(content);
    List<CompletableFuture<PushResult>> answers = new ArrayList<>(devices.size());
    for (PushDevice d : devices) {
      answers.add(send(d, msg));
    }
    List<PushResult> results = new ArrayList<>(devices.size());
    for (CompletableFuture<PushResult> a : answers) {
      results.add(a.join()); // bounded: every post has the client's timeout
    }
    return results;
  }

  private CompletableFuture<PushResult> send(PushDevice d, PushMessage msg) {
    URI endpoint;
    byte[] body;
    try {
      endpoint = config.allowlist().check(d.token());
      body = Aes128gcm.encrypt(msg.plaintext(), P256.publicKey(P256.b64(d.p256dh())), P256.b64(d.auth()));
    } catch (EndpointAllowlist.Refused | IllegalArgumentException e) {
      LOG.warn("web push device {} dropped: {}", d.id(), e.getMessage());
      return CompletableFuture.completedFuture(PushResult.gone(0, "unusable subscription: " + e.getMessage()));
    }
    return poster.postAsync(endpoint, body, msg.ttlSeconds(), msg.urgency(), msg.topic()).thenApply(r -> {
      if (r.accepted()) {
        return PushResult.sent(r.status());
      } else if (r.gone()) {
        return PushResult.gone(r.status(), "HTTP " + r.status());
      } else if (r.retryable()) {
        return PushResult.retry(r.status(), r.retryAfter(), r.error() != null ? r.error() : "HTTP " + r.status());
      }
      LOG.warn("push service {} refused a message with HTTP {}: not retried", Vapid.origin(endpoint), r.status());
      return PushResult.rejected(r.status(), "HTTP " + r.status());
    });
  }

  @Override
  public void close() {
    poster.close();
  }
}
