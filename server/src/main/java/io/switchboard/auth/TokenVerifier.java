package io.switchboard.auth;

import static io.switchboard.auth.TokenException.expired;
import static io.switchboard.auth.TokenException.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import io.switchboard.config.ConfigException;
import io.switchboard.config.PayloadConfig;
import io.switchboard.config.PemKeys;
import io.switchboard.config.TokenConfig;
import io.switchboard.model.CoreException;
import io.switchboard.model.JsonBytes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Verifies connection and subscription tokens (JWT, JWS compact form) the way Centrifugo does. Keys: the HMAC
 * secret (HS256/384/512), an RSA public key (RS256/384/512), an EC public key (ES256/384/512) and a JWKS URL
 * (RS/ES keys by {@code kid}). A token carrying a {@code kid} is checked against the JWKS when one is
 * configured, otherwise against the static key of its algorithm. Parsed keys are built once; verification
 * touches no I/O unless a token names a {@code kid} the JWKS cache does not know, which starts an asynchronous
 * refresh (at most once a minute). Thread-safe: one instance serves every event loop.
 *
 * <p>The synchronous {@link #verifyConnect}/{@link #verifySubscription} reject an unknown {@code kid} at once
 * (starting the refresh for later tokens); the {@code ...Async} variants wait for that refresh and retry, and
 * complete on the caller's context. Use the async ones when a JWKS URL is configured.
 */
public final class TokenVerifier {
  static final Duration JWKS_MIN_REFRESH = Duration.ofSeconds(60);
  private static final Set<JWSAlgorithm> ALLOWED = Set.of(
      JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512,
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
      JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JWSVerifier hmac;
  /** Length of the HMAC secret in bytes (0 without one): what decides which HS algorithms it may check. */
  private final int hmacSecretBytes;
  private final JWSVerifier rsa;
  private final JWSVerifier ec;
  private final JwksKeys jwks;
  private final String audience;
  private final String issuer;
  private final HeaderCache headers = new HeaderCache();
  /** {@code info} and {@code b64info} are data every presence answer and publication of the client carries. */
  private final PayloadConfig limits;

  private TokenVerifier(JWSVerifier hmac, int hmacSecretBytes, JWSVerifier rsa, JWSVerifier ec, JwksKeys jwks,
      String audience, String issuer, PayloadConfig limits) {
    this.limits = limits;
    this.hmac = hmac;
    this.hmacSecretBytes = hmacSecretBytes;
    this.rsa = rsa;
    this.ec = ec;
    this.jwks = jwks;
    this.audience = audience;
    this.issuer = issuer;
  }

  /**
   * Builds a verifier. Fails (with a {@link ConfigException} naming the key) when a configured key does not
   * parse. When a JWKS URL is configured the first fetch is awaited, but a failed fetch is only logged: keys
   * are fetched again when a token needs them.
   */
  public static Future<TokenVerifier> create(Vertx vertx, TokenConfig cfg) {
    return create(vertx, cfg, PayloadConfig.DEFAULTS);
  }

  /** As {@link #create(Vertx, TokenConfig)}; a token whose {@code info} is over {@code limits} is invalid. */
  public static Future<TokenVerifier> create(Vertx vertx, TokenConfig cfg, PayloadConfig limits) {
    return create(vertx, cfg, JWKS_MIN_REFRESH, limits);
  }

  static Future<TokenVerifier> create(Vertx vertx, TokenConfig cfg, Duration jwksMinRefresh) {
    return create(vertx, cfg, jwksMinRefresh, PayloadConfig.DEFAULTS);
  }

  private static Future<TokenVerifier> create(Vertx vertx, TokenConfig cfg, Duration jwksMinRefresh,
      PayloadConfig limits) {
    TokenVerifier verifier;
    try {
      JWSVerifier hmac = null;
      byte[] secret = cfg.hmacSecret().getBytes(StandardCharsets.UTF_8);
      if (secret.length > 0) {
        try {
          hmac = new HmacVerifier(secret);
        } catch (JOSEException e) {
          throw new ConfigException("token.hmac_secret", e.getMessage());
        }
      }
      JWSVerifier rsa = null;
      if (!cfg.rsaPublicKeyPem().isEmpty()) {
        try {
          rsa = new RSASSAVerifier(PemKeys.rsa(cfg.rsaPublicKeyPem()));
        } catch (IllegalArgumentException e) {
          throw new ConfigException("token.rsa_public_key", e.getMessage());
        }
      }
      JWSVerifier ec = null;
      if (!cfg.ecdsaPublicKeyPem().isEmpty()) {
        try {
          ec = new ECDSAVerifier(PemKeys.ec(cfg.ecdsaPublicKeyPem()));
        } catch (IllegalArgumentException | JOSEException e) {
          throw new ConfigException("token.ecdsa_public_key", e.getMessage());
        }
      }
      JwksKeys jwks = cfg.jwksUrl().isEmpty() ? null : new JwksKeys(vertx, cfg.jwksUrl(), jwksMinRefresh);
      verifier = new TokenVerifier(hmac, secret.length, rsa, ec, jwks, cfg.audience(), cfg.issuer(), limits);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    return verifier.jwks == null ? Future.succeededFuture(verifier)
        : verifier.jwks.refresh().map(verifier);
  }

  /** Stops the JWKS HTTP client, if any. */
  public Future<Void> close() {
    return jwks == null ? Future.succeededFuture() : jwks.close();
  }

  // ---- connection tokens -----------------------------------------------------------------------------------

  /** Verifies a connection token, throwing {@link TokenException} when it must be refused. */
  public ConnectClaims verifyConnect(String token) {
    return connectClaims(verified(token));
  }

  /** Like {@link #verifyConnect}, but waits for a JWKS refresh when the token names an unknown {@code kid}. */
  public Future<ConnectClaims> verifyConnectAsync(String token) {
    return async(token, this::connectClaims);
  }

  private ConnectClaims connectClaims(JsonNode claims) {
    if (present(claims, "channel")) {
      throw invalid("a subscription token (it has a channel claim) cannot be used to connect");
    }
    List<String> channels = List.of();
    JsonNode ch = claims.get("channels");
    if (ch != null && !ch.isNull()) {
      if (!ch.isArray()) {
        throw invalid("channels must be a list of strings");
      }
      List<String> list = new ArrayList<>(ch.size());
      for (JsonNode c : ch) {
        if (!c.isTextual()) {
          throw invalid("channels must be a list of strings");
        }
        list.add(c.textValue());
      }
      channels = List.copyOf(list);
    }
    JsonNode meta = claims.get("meta");
    return new ConnectClaims(user(claims), expireAt(claims), info(claims), channels,
        meta == null || meta.isNull() ? null : meta.toString());
  }

  // ---- subscription tokens ---------------------------------------------------------------------------------

  /** Verifies a subscription token, throwing {@link TokenException} when it must be refused. */
  public SubscriptionClaims verifySubscription(String token) {
    return subscriptionClaims(verified(token));
  }

  /** Like {@link #verifySubscription}, waiting for a JWKS refresh when the {@code kid} is unknown. */
  public Future<SubscriptionClaims> verifySubscriptionAsync(String token) {
    return async(token, this::subscriptionClaims);
  }

  private SubscriptionClaims subscriptionClaims(JsonNode claims) {
    JsonNode channel = claims.get("channel");
    if (channel == null || !channel.isTextual() || channel.textValue().isEmpty()) {
      throw invalid("a subscription token needs a channel claim");
    }
    JsonNode client = claims.get("client");
    if (client != null && !client.isNull() && !client.isTextual()) {
      throw invalid("client must be a string");
    }
    return new SubscriptionClaims(user(claims), channel.textValue(),
        client == null || client.isNull() ? "" : client.textValue(), info(claims), expireAt(claims));
  }

  // ---- the common path -------------------------------------------------------------------------------------

  /** Thrown internally when the JWKS cache lacks the token's kid. */
  private static final class UnknownKid extends RuntimeException {
    UnknownKid() {
      super(null, null, false, false);
    }
  }

  private <T> Future<T> async(String token, Function<JsonNode, T> claims) {
    try {
      return Future.succeededFuture(claims.apply(verifiedOrUnknownKid(token)));
    } catch (TokenException e) {
      return Future.failedFuture(e);
    } catch (UnknownKid e) {
      Context ctx = Vertx.currentContext();
      Promise<T> promise = Promise.promise();
      jwks.refreshIfAllowed().onComplete(ignored -> {
        Runnable retry = () -> {
          try {
            promise.complete(claims.apply(verified(token)));
          } catch (TokenException te) {
            promise.fail(te);
          }
        };
        if (ctx != null && Vertx.currentContext() != ctx) {
          ctx.runOnContext(v -> retry.run());
        } else {
          retry.run();
        }
      });
      return promise.future();
    }
  }

  /** Verifies signature, time and audience/issuer; an unknown kid starts a refresh and is INVALID now. */
  private JsonNode verified(String token) {
    try {
      return verifiedOrUnknownKid(token);
    } catch (UnknownKid e) {
      jwks.refreshIfAllowed();
      throw invalid("no JWKS key with the token's kid");
    }
  }

  private JsonNode verifiedOrUnknownKid(String token) {
    if (token == null || token.isEmpty()) {
      throw invalid("empty token");
    }
    // JWSObject.parse, split in two so that a header seen before is not parsed again (see HeaderCache).
    Base64URL[] parts;
    JWSHeader header;
    try {
      parts = JOSEObject.split(token);
      if (parts.length != 3) {
        throw new ParseException("Unexpected number of Base64URL parts, must be three", 0);
      }
      header = headers.get(parts[0].toString());
      if (header == null) {
        header = new JWSObject(parts[0], parts[1], parts[2]).getHeader();
        headers.remember(header);
      } else if (parts[2].toString().trim().isEmpty()) {
        throw new ParseException("The signature must not be empty", 0); // as the JWSObject constructor checks
      }
    } catch (ParseException e) {
      throw invalid("malformed token: " + e.getMessage());
    }
    JWSAlgorithm alg = header.getAlgorithm();
    if (!ALLOWED.contains(alg)) {
      throw invalid("algorithm " + alg + " is not accepted");
    }
    JWSVerifier verifier = verifierFor(header);
    if (verifier == hmac && hmacSecretBytes < HmacVerifier.minSecretBytes(alg)) {
      // RFC 7518 3.2: the key must be at least as long as the hash. Say which, so that the operator knows.
      throw invalid(alg + " needs an HMAC secret of at least " + HmacVerifier.minSecretBytes(alg)
          + " bytes (RFC 7518); token.hmac_secret has " + hmacSecretBytes);
    }
    if (!verifier.supportedJWSAlgorithms().contains(alg)) {
      throw invalid("the key does not fit algorithm " + alg);
    }
    byte[] payload;
    if (header.isBase64URLEncodePayload()) {
      // The signing input JWSObject composes: the two parts as received, joined by a dot.
      byte[] signingInput = (parts[0].toString() + '.' + parts[1].toString()).getBytes(StandardCharsets.UTF_8);
      boolean ok;
      try {
        ok = verifier.verify(header, signingInput, parts[2]);
      } catch (Exception e) { // JWSObject.verify turns any failure of the verifier into a JOSEException
        throw invalid("bad signature: " + e.getMessage());
      }
      if (!ok) {
        throw invalid("bad signature");
      }
      payload = parts[1].decode();
    } else {
      try {
        JWSObject jws = new JWSObject(parts[0], parts[1], parts[2]); // unencoded payload (RFC 7797): nimbus's way
        if (!jws.verify(verifier)) {
          throw invalid("bad signature");
        }
        payload = jws.getPayload().toBytes();
      } catch (ParseException e) {
        throw invalid("malformed token: " + e.getMessage());
      } catch (JOSEException | IllegalStateException e) {
        throw invalid("bad signature: " + e.getMessage());
      }
    }
    JsonNode claims;
    try {
      claims = JSON.readTree(payload);
    } catch (IOException e) {
      throw invalid("payload is not JSON");
    }
    if (claims == null || !claims.isObject()) {
      throw invalid("payload is not a JSON object");
    }
    checkTimeAndParties(claims);
    return claims;
  }

  private JWSVerifier verifierFor(JWSHeader header) {
    String kid = header.getKeyID();
    if (kid != null && jwks != null) {
      JwksKeys.Entry entry = jwks.get(kid);
      if (entry == null) {
        throw new UnknownKid();
      }
      if (entry.alg() != null && !entry.alg().equals(header.getAlgorithm().getName())) {
        throw invalid("JWKS key " + kid + " is for " + entry.alg() + ", not " + header.getAlgorithm());
      }
      return entry.verifier();
    }
    String family = header.getAlgorithm().getName().substring(0, 2);
    JWSVerifier verifier = switch (family) {
      case "HS" -> hmac;
      case "RS" -> rsa;
      case "ES" -> ec;
      default -> null;
    };
    if (verifier == null) {
      throw invalid("no key configured for " + header.getAlgorithm()
          + (kid != null ? "" : jwks != null ? " (the token has no kid for the JWKS)" : ""));
    }
    return verifier;
  }

  private void checkTimeAndParties(JsonNode claims) {
    long now = System.currentTimeMillis() / 1000;
    JsonNode exp = claims.get("exp");
    if (exp != null && !exp.isNull()) {
      if (!exp.isNumber()) {
        throw invalid("exp must be a number");
      }
      if (exp.asLong() < now) {
        throw expired("token expired");
      }
    }
    JsonNode nbf = claims.get("nbf");
    if (nbf != null && !nbf.isNull()) {
      if (!nbf.isNumber()) {
        throw invalid("nbf must be a number");
      }
      if (nbf.asLong() > now) {
        throw expired("token not valid yet (nbf)");
      }
    }
    if (!audience.isEmpty() && !hasAudience(claims.get("aud"))) {
      throw invalid("audience mismatch");
    }
    if (!issuer.isEmpty()) {
      JsonNode iss = claims.get("iss");
      if (iss == null || !iss.isTextual() || !iss.textValue().equals(issuer)) {
        throw invalid("issuer mismatch");
      }
    }
  }

  private boolean hasAudience(JsonNode aud) {
    if (aud == null) {
      return false;
    }
    if (aud.isTextual()) {
      return aud.textValue().equals(audience);
    }
    if (aud.isArray()) {
      for (JsonNode a : aud) {
        if (a.isTextual() && a.textValue().equals(audience)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean present(JsonNode claims, String name) {
    JsonNode v = claims.get(name);
    return v != null && !v.isNull();
  }

  private static String user(JsonNode claims) {
    JsonNode sub = claims.get("sub");
    if (sub == null || sub.isNull()) {
      return "";
    }
    if (!sub.isTextual()) {
      throw invalid("sub must be a string");
    }
    return sub.textValue();
  }

  /** expire_at when present (0 = never; in the past = expired), else exp, else 0. */
  private static long expireAt(JsonNode claims) {
    JsonNode expireAt = claims.get("expire_at");
    if (expireAt != null && !expireAt.isNull()) {
      if (!expireAt.isNumber()) {
        throw invalid("expire_at must be a number");
      }
      long at = expireAt.asLong();
      if (at > 0 && at < System.currentTimeMillis() / 1000) {
        throw expired("expire_at is in the past");
      }
      return Math.max(at, 0);
    }
    JsonNode exp = claims.get("exp");
    return exp == null || exp.isNull() ? 0 : exp.asLong();
  }

  /**
   * b64info (decoded; it must hold JSON) wins over info, as in Centrifugo. Either is kept as compact JSON text
   * within the {@code payload} limits: it is embedded in JSON frames as it is.
   */
  private String info(JsonNode claims) {
    String text = rawInfo(claims);
    if (text != null) {
      try {
        JsonBytes.check(text.getBytes(StandardCharsets.UTF_8), true, limits.maxDepth(), limits.maxBytes());
      } catch (CoreException e) {
        throw invalid("info: " + e.detail());
      }
    }
    return text;
  }

  private static String rawInfo(JsonNode claims) {
    JsonNode b64 = claims.get("b64info");
    if (b64 != null && !b64.isNull() && !(b64.isTextual() && b64.textValue().isEmpty())) {
      if (!b64.isTextual()) {
        throw invalid("b64info must be a base64 string");
      }
      String text;
      try {
        text = JSON.readTree(new String(Base64.getDecoder().decode(b64.textValue()), StandardCharsets.UTF_8))
            .toString(); // compact: a line break would split a JSON frame
      } catch (IllegalArgumentException | IOException e) {
        throw invalid("b64info is not base64-encoded JSON");
      }
      return text;
    }
    JsonNode info = claims.get("info");
    return info == null || info.isNull() ? null : info.toString();
  }
}
