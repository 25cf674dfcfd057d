package io.switchboard.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import java.util.Base64;

/**
 * NIST P-256 keys in the encodings Web Push uses: a public key is the 65-byte uncompressed point
 * ({@code 0x04 || X || Y}), a private key the 32-byte scalar, both base64url (padding optional on input).
 * JDK crypto only.
 */
public final class P256 {
  private P256() {}

  public static final ECParameterSpec PARAMS = params();
  private static final int FIELD_BYTES = 32;

  private static ECParameterSpec params() {
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
      p.init(new ECGenParameterSpec("secp256r1"));
      return p.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks P-256", e);
    }
  }

  public static byte[] b64(String text) {
    try {
      return Base64.getUrlDecoder().decode(text.strip().replace('+', '-').replace('/', '_').replace("=", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not base64url");
    }
  }

  public static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static KeyPair generate() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The uncompressed point of a public key. */
  public static byte[] encode(ECPublicKey key) {
    byte[] out = new byte[1 + 2 * FIELD_BYTES];
    out[0] = 4;
    fixed(key.getW().getAffineX(), out, 1);
    fixed(key.getW().getAffineY(), out, 1 + FIELD_BYTES);
    return out;
  }

  /** The 32-byte scalar of a private key. */
  public static byte[] encode(ECPrivateKey key) {
    byte[] out = new byte[FIELD_BYTES];
    fixed(key.getS(), out, 0);
    return out;
  }

  private static void fixed(BigInteger v, byte[] out, int at) {
    byte[] b = v.toByteArray();
    int len = Math.min(b.length, FIELD_BYTES);
    System.arraycopy(b, b.length - len, out, at + FIELD_BYTES - len, len);
  }

  /** Parses an uncompressed point and checks that it lies on the curve (an invalid point is an attack vector). */
  public static ECPublicKey publicKey(byte[] point) {
    if (point.length != 1 + 2 * FIELD_BYTES || point[0] != 4) {
      throw new IllegalArgumentException("expected a 65-byte uncompressed P-256 point (starting with 0x04)");
    }
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 1 + FIELD_BYTES));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 1 + FIELD_BYTES, point.length));
    EllipticCurve curve = PARAMS.getCurve();
    BigInteger p = ((java.security.spec.ECFieldFp) curve.getField()).getP();
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0
        || !y.pow(2).mod(p).equals(x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p))) {
      throw new IllegalArgumentException("the point is not on the P-256 curve");
    }
    try {
      return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a P-256 public key: " + e.getMessage());
    }
  }

  public static ECPrivateKey privateKey(byte[] scalar) {
    BigInteger s = new BigInteger(1, scalar);
    if (scalar.length != FIELD_BYTES || s.signum() == 0 || s.compareTo(PARAMS.getOrder()) >= 0) {
      throw new IllegalArgumentException("expected a 32-byte P-256 private scalar");
    }
    try {
      return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, PARAMS));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not a P-256 private key: " + e.getMessage());
    }
  }

  /** True when the two keys are one pair: a signature by one verifies with the other. */
  public static boolean matches(ECPrivateKey priv, ECPublicKey pub) {
    try {
      byte[] probe = "switchboard key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance("SHA256withECDSA");
      s.initSign(priv);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance("SHA256withECDSA");
      v.initVerify(pub);
      v.update(probe);
      return v.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
