package io.switchboard.notify.push.apns;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.config.ConfigException;
import io.switchboard.crypto.P256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * The APNs provider token: an ES256 JWT ({@code kid} = key id, {@code iss} = team id, {@code iat} = now) signed
 * with the team's {@code .p8} key. Apple wants one token reused for 20 to 60 minutes (a new one more often than
 * every 20 minutes is refused with TooManyProviderTokenUpdates), so it is kept {@link #REUSE} and renewed early
 * only when APNs calls it expired. Thread-safe.
 */
final class ProviderToken {
  static final Duration REUSE = Duration.ofMinutes(50);
  static final String KEY_FILE = "push.apns.key_file";
  static final String KEY_FILE_ENV = "SWITCHBOARD_PUSH_APNS_KEY_FILE";

  private record Issued(String jwt, Instant at) {}

  private final ECDSASigner signer;
  private final String keyId;
  private final String teamId;
  private final Clock clock;
  private volatile Issued current;

  ProviderToken(Path keyFile, String keyId, String teamId, Clock clock) {
    this.keyId = keyId;
    this.teamId = teamId;
    this.clock = clock;
    try {
      this.signer = new ECDSASigner(readKey(keyFile));
    } catch (JOSEException e) {
      throw new ConfigException(KEY_FILE, "not a P-256 key: " + e.getMessage() + " (" + KEY_FILE_ENV + ")");
    }
  }

  /** The token to send now: the cached one while younger than {@link #REUSE}. */
  String get() {
    Issued t = current;
    if (t != null && clock.instant().isBefore(t.at().plus(REUSE))) {
      return t.jwt();
    }
    synchronized (this) {
      t = current;
      if (t == null || !clock.instant().isBefore(t.at().plus(REUSE))) {
        current = t = issue();
      }
      return t.jwt();
    }
  }

  /**
   * APNs answered ExpiredProviderToken to {@code rejected}: renew it, unless another thread already did (a
   * burst of 200 such answers makes one new token, not 200). Returns the token to retry with.
   */
  synchronized String renewAfter(String rejected) {
    Issued t = current;
    if (t == null || t.jwt().equals(rejected)) {
      current = t = issue();
    }
    return t.jwt();
  }

  private Issued issue() {
    Instant now = clock.instant();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(teamId).issueTime(Date.from(now)).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign the APNs provider token", e);
    }
    return new Issued(jwt.serialize(), now);
  }

  /** A {@code .p8} file: PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}) holding a P-256 key. */
  static ECPrivateKey readKey(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw bad(file, "cannot read it: " + e.getMessage());
    }
    int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = text.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw bad(file, "no '-----BEGIN PRIVATE KEY-----' block (expected Apple's .p8 file, PKCS#8 PEM)");
    }
    String b64 = text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end).replaceAll("\\s", "");
    PrivateKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw bad(file, "not an EC private key in PKCS#8 (" + e.getMessage() + ")");
    }
    if (!(key instanceof ECPrivateKey ec)
        || !ec.getParams().getCurve().equals(P256.PARAMS.getCurve())
        || !ec.getParams().getGenerator().equals(P256.PARAMS.getGenerator())) {
      throw bad(file, "the key is not on the P-256 curve (APNs signs with ES256)");
    }
    return ec;
  }

  private static ConfigException bad(Path file, String why) {
    return new ConfigException(KEY_FILE, "'" + file + "': " + why + " (" + KEY_FILE_ENV + ")");
  }
}
