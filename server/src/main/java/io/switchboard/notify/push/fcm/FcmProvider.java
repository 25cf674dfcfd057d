package io.switchboard.notify.push.fcm;

import io.switchboard.config.FcmConfig;
import io.switchboard.notify.push.PushContent;
import io.switchboard.notify.push.PushDevice;
import io.switchboard.notify.push.PushProvider;
import io.switchboard.notify.push.PushResult;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Firebase Cloud Messaging, HTTP v1 API: one {@code POST {endpoint}/v1/projects/{project}/messages:send} per
 * device (the v1 API has no multicast), all of a call's devices at once over a few HTTP/2 connections, each with
 * the deadline given. A 401 (the access token expired or was revoked early) refreshes the token once and resends
 * to those devices within the same call.
 */
public final class FcmProvider implements PushProvider {
  private final Duration timeout;
  private final FcmAccessTokens tokens;
  private final URI sendUri;
  private final FcmConnections connections;

  public FcmProvider(FcmConfig config, Duration timeout) {
    this.timeout = timeout;
    KeyStore trust = config.trustFile() == null ? null : FcmTrust.keyStore(config.trustFile());
    // the token wait covers the token server's connect and answer, like a send
    this.tokens = new FcmAccessTokens(config.credentialsFile(), trust, timeout.multipliedBy(2));
    String origin = config.endpoint().toString().replaceAll("/+$", "");
    this.sendUri = URI.create(origin + "/v1/projects/" + tokens.projectId() + "/messages:send");
    this.connections = new FcmConnections(timeout, trust == null ? null : FcmTrust.sslContext(trust));
  }

  @Override
  public String platform() {
    return PushDevice.FCM;
  }

  /** The project messages go to, from the service account. */
  public String projectId() {
    return tokens.projectId();
  }

  @Override
  public List<PushResult> send(List<PushDevice> devices, PushContent content) {
    if (devices.isEmpty()) {
      return List.of();
    }
    PushResult[] results = new PushResult[devices.size()];
    JsonObject message = FcmMessage.of(content, Instant.now().getEpochSecond());
    int size = FcmMessage.payloadBytes(message);
    if (size > FcmMessage.MAX_PAYLOAD) {
      // FCM would answer 400 INVALID_ARGUMENT naming no field: not the device's fault, and no use retrying
      Arrays.fill(results, PushResult.rejected(0, "message too big: " + size + " > " + FcmMessage.MAX_PAYLOAD + " bytes"));
      return List.of(results);
    }
    String messageJson = message.encode();
    List<Integer> all = new ArrayList<>(devices.size());
    for (int i = 0; i < devices.size(); i++) {
      all.add(i);
    }
    String token;
    try {
      token = tokens.token();
    } catch (IOException | TimeoutException e) {
      Arrays.fill(results, PushResult.retry(0, null, "access token: " + describe(e)));
      return List.of(results);
    }
    round(devices, all, messageJson, token, results);
    List<Integer> unauthenticated = new ArrayList<>();
    for (int i : all) {
      if (results[i].status() == 401) {
        unauthenticated.add(i);
      }
    }
    if (!unauthenticated.isEmpty()) {
      try {
        String fresh = tokens.renew(token);
        round(devices, unauthenticated, messageJson, fresh, results); // a second 401 stays a RETRY
      } catch (IOException | TimeoutException e) {
        for (int i : unauthenticated) {
          results[i] = PushResult.retry(0, null, "access token: " + describe(e));
        }
      }
    }
    return List.of(results);
  }

  /** Sends to {@code which} devices at once and fills their results, all within the deadline. */
  private void round(List<PushDevice> devices, List<Integer> which, String messageJson, String token,
      PushResult[] results) {
    // connect, then answer: each within the timeout; a little slack for the client's own timers to fire first
    long waitUntil = System.nanoTime() + timeout.multipliedBy(2).plusMillis(200).toNanos();
    List<CompletableFuture<HttpResponse<String>>> exchanges = new ArrayList<>(which.size());
    for (int i : which) {
      HttpRequest req = HttpRequest.newBuilder(sendUri).timeout(timeout)
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json; charset=UTF-8")
          .POST(HttpRequest.BodyPublishers.ofString(FcmMessage.request(devices.get(i).token(), messageJson)))
          .build();
      exchanges.add(connections.send(req, waitUntil));
    }
    for (int k = 0; k < exchanges.size(); k++) {
      CompletableFuture<HttpResponse<String>> f = exchanges.get(k);
      PushResult r;
      try {
        HttpResponse<String> a = f.get(Math.max(0, waitUntil - System.nanoTime()), TimeUnit.NANOSECONDS);
        r = FcmAnswer.of(a.statusCode(), a.headers().firstValue("Retry-After").orElse(null), a.body());
      } catch (TimeoutException e) {
        f.cancel(true); // resets the stream
        r = PushResult.retry(0, null, "timeout");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        f.cancel(true);
        r = PushResult.retry(0, null, "interrupted");
      } catch (ExecutionException | CancellationException e) {
        r = PushResult.retry(0, null, describe(e));
      }
      results[which.get(k)] = r;
    }
  }

  private static String describe(Throwable e) {
    Throwable c = e;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof HttpTimeoutException || c instanceof TimeoutException) {
      return c.getMessage() != null && c.getMessage().startsWith("timeout") ? c.getMessage() : "timeout";
    }
    return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
  }

  @Override
  public void close() {
    tokens.close();
    connections.close();
  }
}
