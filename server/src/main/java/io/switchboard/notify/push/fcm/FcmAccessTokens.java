package io.switchboard.notify.push.fcm;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import io.switchboard.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * OAuth2 access tokens for the FCM scope, from a service account (google-auth-library: a JWT-bearer grant signed
 * RS256 with the account's key, POSTed to its {@code token_uri}, which the library uses as written). One token is
 * shared by all sends until it nears its expiry or FCM rejects it; then exactly one refresh runs (on a thread of
 * its own: the library's own retries can outlast any deadline) and every caller waits for it, up to a deadline.
 */
final class FcmAccessTokens implements AutoCloseable {
  static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
  private static final long MARGIN_MILLIS = Duration.ofMinutes(1).toMillis();

  private final ServiceAccountCredentials credentials;
  private final Duration deadline;
  private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "switchboard-fcm-token");
    t.setDaemon(true);
    return t;
  });
  private volatile AccessToken current;
  private CompletableFuture<AccessToken> refreshing; // guarded by this

  FcmAccessTokens(Path credentialsFile, KeyStore trust, Duration deadline) {
    this.credentials = load(credentialsFile, trust);
    this.deadline = deadline;
  }

  String projectId() {
    return credentials.getProjectId();
  }

  /** A token not about to expire: the cached one, or a fresh one (waiting for the refresh, up to the deadline). */
  String token() throws IOException, TimeoutException {
    AccessToken t = current;
    if (t != null && usable(t)) {
      return t.getTokenValue();
    }
    return await(refresh(null));
  }

  /** FCM said {@code rejected} is not (or no longer) valid: a newer token, or one from a refresh. */
  String renew(String rejected) throws IOException, TimeoutException {
    return await(refresh(rejected));
  }

  private synchronized CompletableFuture<AccessToken> refresh(String rejected) {
    AccessToken t = current;
    if (t != null && usable(t) && !t.getTokenValue().equals(rejected)) {
      return CompletableFuture.completedFuture(t); // another thread got a new one meanwhile
    }
    if (refreshing == null) {
      CompletableFuture<AccessToken> f = CompletableFuture.supplyAsync(() -> {
        try {
          AccessToken fresh = credentials.refreshAccessToken();
          current = fresh;
          return fresh;
        } catch (IOException e) {
          throw new CompletionException(e);
        }
      }, refresher);
      refreshing = f;
      f.whenComplete((v, e) -> {
        synchronized (this) {
          if (refreshing == f) {
            refreshing = null;
          }
        }
      });
    }
    return refreshing;
  }

  private String await(CompletableFuture<AccessToken> f) throws IOException, TimeoutException {
    try {
      return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS).getTokenValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    } catch (ExecutionException e) {
      Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
      throw c instanceof IOException io ? io : new IOException(String.valueOf(c), c);
    }
  }

  private static boolean usable(AccessToken t) {
    return t.getExpirationTime() == null || t.getExpirationTime().getTime() - System.currentTimeMillis() > MARGIN_MILLIS;
  }

  private static ServiceAccountCredentials load(Path file, KeyStore trust) {
    String key = "push.fcm.credentials_file";
    String env = " (SWITCHBOARD_PUSH_FCM_CREDENTIALS_FILE)";
    NetHttpTransport transport;
    try {
      transport = trust == null ? new NetHttpTransport() : new NetHttpTransport.Builder().trustCertificates(trust).build();
    } catch (java.security.GeneralSecurityException e) {
      throw new ConfigException("push.fcm.trust_file", "unusable CA: " + e.getMessage() + " (SWITCHBOARD_PUSH_FCM_TRUST_FILE)");
    }
    HttpTransportFactory transports = () -> transport;
    GoogleCredentials loaded;
    try (InputStream in = Files.newInputStream(file)) {
      loaded = ServiceAccountCredentials.fromStream(in, transports);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(key, "'" + file + "' is not a readable service-account JSON: " + e.getMessage() + env);
    }
    ServiceAccountCredentials sa = (ServiceAccountCredentials) loaded.createScoped(List.of(SCOPE));
    if (sa.getProjectId() == null || sa.getProjectId().isBlank()) {
      throw new ConfigException(key, "'" + file + "' names no project_id" + env);
    }
    return sa;
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
