package io.switchboard.config;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Public keys in PEM form: SubjectPublicKeyInfo, {@code -----BEGIN PUBLIC KEY-----} (what
 * {@code openssl pkey -pubout} prints). Lives in {@code config} so that {@link ConfigLoader} can reject a bad
 * key at start, naming its key; {@code auth} uses the same parser. A value holding literal {@code \n}
 * sequences instead of line breaks (a common way to squeeze PEM into one environment variable) is accepted.
 */
public final class PemKeys {
  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";

  private PemKeys() {}

  /** An RSA public key, at least 2048 bits. */
  public static RSAPublicKey rsa(String pem) {
    RSAPublicKey key = (RSAPublicKey) decode(pem, "RSA");
    if (key.getModulus().bitLength() < 2048) {
      throw new IllegalArgumentException(
          "RSA key is " + key.getModulus().bitLength() + " bits; at least 2048 are required");
    }
    return key;
  }

  /** An EC public key on P-256, P-384 or P-521 (for ES256, ES384, ES512). */
  public static ECPublicKey ec(String pem) {
    ECPublicKey key = (ECPublicKey) decode(pem, "EC");
    int bits = key.getParams().getCurve().getField().getFieldSize();
    if (bits != 256 && bits != 384 && bits != 521) {
      throw new IllegalArgumentException("EC key on an unsupported curve (" + bits
          + "-bit field); use P-256, P-384 or P-521");
    }
    return key;
  }

  private static java.security.PublicKey decode(String pem, String algorithm) {
    String text = pem.strip();
    if (!text.contains("\n") && text.contains("\\n")) {
      text = text.replace("\\n", "\n");
    }
    if (text.contains("BEGIN RSA PUBLIC KEY")) {
      throw new IllegalArgumentException("PKCS#1 'BEGIN RSA PUBLIC KEY' is not supported; convert it with "
          + "`openssl rsa -RSAPublicKey_in -in key.pem -pubout` to '" + BEGIN + "'");
    }
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("not a PEM public key: expected '" + BEGIN + "' ... '" + END + "'");
    }
    String body = text.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PEM body is not valid base64");
    }
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an " + algorithm + " public key (" + e.getMessage() + ")");
    }
  }
}
