package io.switchboard.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Mints HS256 tokens with the configured HMAC secret: for demo mode ({@code GET /demo/token}) and tests.
 * A null or zero {@code ttl} mints a token without {@code exp}. Thread-safe.
 */
public final class TokenMinter {
  private static final JWSHeader HEADER = new JWSHeader.Builder(JWSAlgorithm.HS256)
      .type(JOSEObjectType.JWT).build();

  private final MACSigner signer;

  /** @throws IllegalArgumentException when the secret is shorter than 32 bytes */
  public TokenMinter(String hmacSecret) {
    try {
      this.signer = new MACSigner(hmacSecret.getBytes(StandardCharsets.UTF_8));
    } catch (JOSEException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** A connection token for {@code user} ("" = anonymous). */
  public String mint(String user, Duration ttl) {
    return sign(claims(user, ttl));
  }

  /** A subscription token for {@code user} and {@code channel}. */
  public String mintSubscription(String user, String channel, Duration ttl) {
    ObjectNode claims = claims(user, ttl);
    claims.put("channel", channel);
    return sign(claims);
  }

  private static ObjectNode claims(String user, Duration ttl) {
    long now = System.currentTimeMillis() / 1000;
    ObjectNode claims = JsonNodeFactory.instance.objectNode();
    claims.put("sub", user);
    claims.put("iat", now);
    if (ttl != null && !ttl.isZero()) {
      // A negative ttl makes an already expired token (tests use them).
      claims.put("exp", now + (ttl.isNegative() ? ttl.toSeconds() : Math.max(1, ttl.toSeconds())));
    }
    return claims;
  }

  private String sign(ObjectNode claims) {
    JWSObject jws = new JWSObject(HEADER, new Payload(claims.toString()));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("HS256 signing failed", e);
    }
    return jws.serialize();
  }
}
