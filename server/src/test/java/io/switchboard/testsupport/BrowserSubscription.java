package io.switchboard.testsupport;

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
 * What a browser holds for one push subscription: a P-256 key pair ({@code p256dh}) and a 16-byte auth secret,
 * and the user agent's side of RFC 8291: decrypting an {@code aes128gcm} body (RFC 8188), written here from the
 * RFCs independently of the server's encryption code.
 */
public final class BrowserSubscription {
  public final String endpoint;
  public final ECPublicKey publicKey;
  private final ECPrivateKey privateKey;
  public final byte[] auth;

  public BrowserSubscription(String endpoint) {
    this(endpoint, P256.generate(), randomAuth());
  }

  public BrowserSubscription(String endpoint, KeyPair keys, byte[] auth) {
    this.endpoint = endpoint;
    this.publicKey = (ECPublicKey) keys.getPublic();
    this.privateKey = (ECPrivateKey) keys.getPrivate();
    this.auth = auth;
  }

  private static byte[] randomAuth() {
    byte[] a = new byte[16];
    new SecureRandom().nextBytes(a);
    return a;
  }

  public String p256dh() {
    return P256.b64(P256.encode(publicKey));
  }

  public String authB64() {
    return P256.b64(auth);
  }

  /** {@code PushSubscription.toJSON()} as a page sends it with push.subscribe. */
  public io.vertx.core.json.JsonObject toJson() {
    return new io.vertx.core.json.JsonObject().put("endpoint", endpoint)
        .put("keys", new io.vertx.core.json.JsonObject().put("p256dh", p256dh()).put("auth", authB64()));
  }

  /** Decrypts a push message body; throws if anything (header, key, tag, padding) is wrong. */
  public String decrypt(byte[] body) throws GeneralSecurityException {
    ByteBuffer b = ByteBuffer.wrap(body);
    byte[] salt = new byte[16];
    b.get(salt);
    int rs = b.getInt();
    int idlen = b.get() & 0xff;
    byte[] keyId = new byte[idlen];
    b.get(keyId);
    byte[] ciphertext = new byte[b.remaining()];
    b.get(ciphertext);
    if (rs < 18 || ciphertext.length > rs) {
      throw new GeneralSecurityException("record size " + rs + " vs ciphertext " + ciphertext.length);
    }
    ECPublicKey asPublic = P256.publicKey(keyId);
    KeyAgreement ka = KeyAgreement.getInstance("ECDH");
    ka.init(privateKey);
    ka.doPhase(asPublic, true);
    byte[] ecdh = ka.generateSecret();
    // RFC 8291 §3.3/3.4
    byte[] prkKey = hmac(auth, ecdh);
    byte[] keyInfo = ByteBuffer.allocate(14 + 65 + 65).put("WebPush: info\0".getBytes(StandardCharsets.US_ASCII))
        .put(P256.encode(publicKey)).put(keyId).array();
    byte[] ikm = hmac(prkKey, concat(keyInfo, new byte[] {1}));
    byte[] prk = hmac(salt, ikm);
    byte[] cek = Arrays.copyOf(hmac(prk, concat("Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII),
        new byte[] {1})), 16);
    byte[] nonce = Arrays.copyOf(hmac(prk, concat("Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII),
        new byte[] {1})), 12);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] padded = gcm.doFinal(ciphertext);
    int end = padded.length - 1;
    while (end >= 0 && padded[end] == 0) {
      end--;
    }
    if (end < 0 || padded[end] != 2) {
      throw new GeneralSecurityException("missing last-record delimiter 0x02");
    }
    return new String(padded, 0, end, StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac m = Mac.getInstance("HmacSHA256");
    m.init(new SecretKeySpec(key, "HmacSHA256"));
    return m.doFinal(data);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
