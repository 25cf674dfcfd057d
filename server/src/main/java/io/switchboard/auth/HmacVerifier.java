package io.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.utils.ConstantTimeUtils;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * nimbus's {@link MACVerifier} with the HMAC instance kept per thread. MACVerifier looks up and keys a new
 * {@link Mac} (a JCA provider search) for every token, which was a large part of a connect's JWT cost; the
 * result of the check is the same. Headers with critical parameters, and algorithms the secret is too short
 * for, still go through MACVerifier itself so that its policy and its errors apply unchanged.
 */
final class HmacVerifier extends MACVerifier {
  private final byte[] secret;
  /** Per event loop: HmacSHA256, HmacSHA384, HmacSHA512, each keyed once with the secret. */
  private final ThreadLocal<Mac[]> macs = ThreadLocal.withInitial(() -> new Mac[3]);

  HmacVerifier(byte[] secret) throws JOSEException {
    super(secret);
    this.secret = secret.clone();
  }

  /**
   * The shortest secret RFC 7518 (3.2) allows for an HS algorithm: as long as the hash (32 bytes for HS256, 48
   * for HS384, 64 for HS512); a longer secret fits every shorter hash.
   */
  static int minSecretBytes(JWSAlgorithm alg) {
    if (JWSAlgorithm.HS384.equals(alg)) {
      return 48;
    }
    return JWSAlgorithm.HS512.equals(alg) ? 64 : 32;
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
    JWSAlgorithm alg = header.getAlgorithm();
    int slot = JWSAlgorithm.HS256.equals(alg) ? 0 : JWSAlgorithm.HS384.equals(alg) ? 1
        : JWSAlgorithm.HS512.equals(alg) ? 2 : -1;
    if (slot < 0 || header.getCriticalParams() != null || !supportedJWSAlgorithms().contains(alg)) {
      return super.verify(header, signingInput, signature);
    }
    byte[] expected = mac(slot).doFinal(signingInput); // doFinal resets the Mac for the next token
    return ConstantTimeUtils.areEqual(expected, signature.decode());
  }

  private Mac mac(int slot) throws JOSEException {
    Mac[] perThread = macs.get();
    Mac m = perThread[slot];
    if (m == null) {
      String name = slot == 0 ? "HmacSHA256" : slot == 1 ? "HmacSHA384" : "HmacSHA512";
      try {
        m = Mac.getInstance(name);
        m.init(new SecretKeySpec(secret, name));
      } catch (GeneralSecurityException e) {
        throw new JOSEException("HMAC " + name + " unavailable: " + e.getMessage(), e);
      }
      perThread[slot] = m;
    }
    return m;
  }
}
