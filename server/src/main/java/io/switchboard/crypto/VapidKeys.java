package io.switchboard.crypto;

import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * The application server's VAPID key pair (RFC 8292). {@code publicKey} is what browsers pass to
 * {@code PushManager.subscribe} as {@code applicationServerKey}, base64url.
 */
public record VapidKeys(String publicKey, ECPublicKey pub, ECPrivateKey priv) {

  /** Parses and cross-checks base64url keys; the message of a failure says what is wrong. */
  public static VapidKeys parse(String publicKey, String privateKey) {
    ECPublicKey pub;
    try {
      pub = P256.publicKey(P256.b64(publicKey));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("public: " + e.getMessage());
    }
    ECPrivateKey priv;
    try {
      priv = P256.privateKey(P256.b64(privateKey));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("private: " + e.getMessage());
    }
    if (!P256.matches(priv, pub)) {
      throw new IllegalArgumentException("pair: the private key does not belong to the public key");
    }
    return new VapidKeys(P256.b64(P256.encode(pub)), pub, priv);
  }

  /** A fresh pair: {@code [public, private]} base64url. */
  public static String[] generate() {
    KeyPair kp = P256.generate();
    return new String[] {P256.b64(P256.encode((ECPublicKey) kp.getPublic())),
        P256.b64(P256.encode((ECPrivateKey) kp.getPrivate()))};
  }
}
