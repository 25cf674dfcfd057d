package io.switchboard.notify.push;

import io.switchboard.crypto.P256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Web Push message encryption (RFC 8291) in the {@code aes128gcm} content coding (RFC 8188), as one record:
 *
 * <ol>
 *   <li>ECDH between a fresh application-server key pair and the subscription's {@code p256dh};
 *   <li>{@code IKM = HKDF(salt=auth, ikm=ecdh, info="WebPush: info\0" || ua_public || as_public, 32)};
 *   <li>{@code CEK = HKDF(salt, IKM, "Content-Encoding: aes128gcm\0", 16)},
 *       {@code NONCE = HKDF(salt, IKM, "Content-Encoding: nonce\0", 12)} with a random 16-byte salt;
 *   <li>AES-128-GCM over {@code plaintext || 0x02} (the last-record delimiter, no padding);
 *   <li>body = {@code salt(16) || rs(4) || idlen(1)=65 || as_public(65) || ciphertext}.
 * </ol>
 */
public final class Aes128gcm {
  /** RFC 8188 record size written in the header; one record holds the whole message. */
  public static final int RECORD_SIZE = 4096;
  /** Header (86) + tag (16) + delimiter (1): the largest plaintext that fits one 4096-byte record. */
  public static final int MAX_PLAINTEXT = RECORD_SIZE - 16 - 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Aes128gcm() {}

  public static byte[] encrypt(byte[] plaintext, ECPublicKey uaPublic, byte[] authSecret) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return encrypt(plaintext, uaPublic, authSecret, P256.generate(), salt);
  }

  /** With a given ephemeral key pair and salt (the RFC's test vector needs them fixed). */
  public static byte[] encrypt(byte[] plaintext, ECPublicKey uaPublic, byte[] authSecret, KeyPair ephemeral,
      byte[] salt) {
    if (plaintext.length > MAX_PLAINTEXT) {
      throw new IllegalArgumentException("payload of " + plaintext.length + " bytes exceeds " + MAX_PLAINTEXT);
    }
    if (authSecret.length != 16) {
      throw new IllegalArgumentException("the auth secret must be 16 bytes");
    }
    try {
      byte[] asPublic = P256.encode((ECPublicKey) ephemeral.getPublic());
      byte[] uaPoint = P256.encode(uaPublic);
      KeyAgreement ka = KeyAgreement.getInstance("ECDH");
      ka.init((ECPrivateKey) ephemeral.getPrivate());
      ka.doPhase(uaPublic, true);
      byte[] ecdhSecret = ka.generateSecret();

      byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPoint, asPublic);
      byte[] ikm = hkdf(authSecret, ecdhSecret, keyInfo, 32);
      byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
      byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);

      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
      byte[] padded = Arrays.copyOf(plaintext, plaintext.length + 1);
      padded[plaintext.length] = 2;
      byte[] ciphertext = gcm.doFinal(padded);

      ByteBuffer body = ByteBuffer.allocate(16 + 4 + 1 + asPublic.length + ciphertext.length);
      body.put(salt).putInt(RECORD_SIZE).put((byte) asPublic.length).put(asPublic).put(ciphertext);
      return body.array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("aes128gcm encryption failed", e);
    }
  }

  /** HKDF-SHA256 (RFC 5869) for outputs of at most 32 bytes: one expand block. */
  static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(salt, "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    mac.update(info);
    mac.update((byte) 1);
    return Arrays.copyOf(mac.doFinal(), length);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
