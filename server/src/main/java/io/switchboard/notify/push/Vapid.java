package io.switchboard.notify.push;

import io.switchboard.crypto.VapidKeys;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * VAPID (RFC 8292): an ES256 JWT with {@code aud} = the push service's origin, {@code exp} 12 hours ahead (at
 * most 24 are allowed) and {@code sub} = the configured contact, sent as
 * {@code Authorization: vapid t=<jwt>, k=<public key>}. A token is reused per origin until an hour before it
 * expires, so signing is not paid per message. Thread-safe.
 */
public final class Vapid {
  static final Duration LIFETIME = Duration.ofHours(12);
  static final Duration RENEW_BEFORE = Duration.ofHours(1);

  private record Token(String header, Instant expires) {}

  private final VapidKeys keys;
  private final String subject;
  private final Clock clock;
  private final Map<String, Token> byOrigin = new ConcurrentHashMap<>();

  public Vapid(VapidKeys keys, String subject, Clock clock) {
    this.keys = keys;
    this.subject = subject;
    this.clock = clock;
  }

  /** The Authorization header value for a request to {@code endpoint}. */
  public String authorization(URI endpoint) {
    String origin = origin(endpoint);
    Instant now = clock.instant();
    Token t = byOrigin.get(origin);
    if (t == null || now.isAfter(t.expires.minus(RENEW_BEFORE))) {
      t = sign(origin, now);
      byOrigin.put(origin, t);
    }
    return t.header;
  }

  private Token sign(String origin, Instant now) {
    Instant exp = now.plus(LIFETIME);
    JWTClaimsSet claims = new JWTClaimsSet.Builder().audience(origin)
        .expirationTime(Date.from(exp)).subject(subject).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(new ECDSASigner(keys.priv()));
    } catch (JOSEException e) {
      throw new IllegalStateException("VAPID signing failed", e);
    }
    return new Token("vapid t=" + jwt.serialize() + ", k=" + keys.publicKey(), exp);
  }

  /** scheme://host[:port], the port only when not the scheme's default. */
  public static String origin(URI u) {
    String scheme = u.getScheme().toLowerCase(java.util.Locale.ROOT);
    int port = u.getPort();
    boolean defaultPort = port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
    return scheme + "://" + u.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port);
  }
}
