package io.switchboard.config;

/**
 * How connection and subscription tokens are checked. Any mix of the key sources may be set; a token is
 * verified with the key that matches its algorithm (HS* with the secret, RS* with the RSA key, ES* with the
 * ECDSA key, or the JWKS key named by its {@code kid}). Empty strings mean "not configured".
 */
public record TokenConfig(
    String hmacSecret,
    String rsaPublicKeyPem,
    String ecdsaPublicKeyPem,
    String jwksUrl,
    String audience,
    String issuer) {

  public boolean anyKey() {
    return !hmacSecret.isEmpty() || !rsaPublicKeyPem.isEmpty() || !ecdsaPublicKeyPem.isEmpty()
        || !jwksUrl.isEmpty();
  }
}
