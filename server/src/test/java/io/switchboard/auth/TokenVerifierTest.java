package io.switchboard.auth;

import static io.switchboard.auth.Tokens.b64url;
import static io.switchboard.auth.Tokens.now;
import static io.switchboard.auth.Tokens.pem;
import static io.switchboard.auth.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import io.switchboard.config.ConfigException;
import io.switchboard.config.TokenConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
  static final String SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t-64bytes!";
  static final KeyPair RSA = Tokens.rsa();
  static final KeyPair OTHER_RSA = Tokens.rsa();
  static final KeyPair EC256 = Tokens.ec("secp256r1");
  static final KeyPair OTHER_EC256 = Tokens.ec("secp256r1");
  static final KeyPair EC384 = Tokens.ec("secp384r1");

  static Vertx vertx;
  static TokenVerifier verifier; // HMAC + RSA + EC P-256, no aud/iss

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    verifier = await(TokenVerifier.create(vertx,
        new TokenConfig(SECRET, pem(RSA.getPublic()), pem(EC256.getPublic()), "", "", "")));
  }

  @AfterAll
  static void tearDown() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static String hs(JWSAlgorithm alg, String claims) throws Exception {
    return sign(alg, new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)), null, claims);
  }

  static String hs(String claims) throws Exception {
    return hs(JWSAlgorithm.HS256, claims);
  }

  static void assertRejected(ThrowingCallable call, TokenException.Kind kind) {
    assertThatThrownBy(call).isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }

  // ---- algorithms and keys ------------------------------------------------------------------------------

  /** An HS token signed by hand: nimbus's signer refuses a secret shorter than the hash, as it should. */
  static String rawHmacToken(String jcaName, String alg, String secret, String claims) throws Exception {
    String signingInput = b64url("{\"alg\":\"" + alg + "\"}") + "." + b64url(claims);
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance(jcaName);
    mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), jcaName));
    return signingInput + "." + java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void eachHmacAlgorithmNeedsASecretAsLongAsItsHashAndTheErrorSaysSo() throws Exception {
    String claims = "{\"sub\":\"alice\",\"exp\":" + (now() + 60) + "}";
    for (int bytes : new int[] {32, 40, 48, 56, 64, 80}) {
      String secret = "s".repeat(bytes);
      TokenVerifier v = await(TokenVerifier.create(vertx, new TokenConfig(secret, "", "", "", "", "")));
      String[][] algs = {{"HmacSHA256", "HS256", "32"}, {"HmacSHA384", "HS384", "48"}, {"HmacSHA512", "HS512", "64"}};
      for (String[] a : algs) {
        String token = rawHmacToken(a[0], a[1], secret, claims);
        int need = Integer.parseInt(a[2]);
        if (bytes >= need) {
          assertThat(v.verifyConnect(token).user()).as("%s with %d bytes", a[1], bytes).isEqualTo("alice");
        } else {
          assertThatThrownBy(() -> v.verifyConnect(token)).as("%s with %d bytes", a[1], bytes)
              .isInstanceOfSatisfying(TokenException.class, e -> assertThat(e.kind())
                  .isEqualTo(TokenException.Kind.INVALID))
              .hasMessageContaining(a[1]).hasMessageContaining("at least " + need + " bytes")
              .hasMessageContaining("has " + bytes);
        }
      }
    }
  }

  @Test
  void acceptsEveryHmacAlgorithm() throws Exception {
    for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
      assertThat(verifier.verifyConnect(hs(alg, "{\"sub\":\"alice\"}")).user()).as(alg.getName()).isEqualTo("alice");
    }
  }

  @Test
  void acceptsRsa() throws Exception {
    for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512)) {
      String token = sign(alg, new RSASSASigner(RSA.getPrivate()), null, "{\"sub\":\"bob\"}");
      assertThat(verifier.verifyConnect(token).user()).as(alg.getName()).isEqualTo("bob");
    }
  }

  @Test
  void acceptsEcdsa() throws Exception {
    String token = sign(JWSAlgorithm.ES256, new ECDSASigner(EC256.getPrivate(), com.nimbusds.jose.jwk.Curve.P_256),
        null, "{\"sub\":\"carol\"}");
    assertThat(verifier.verifyConnect(token).user()).isEqualTo("carol");

    TokenVerifier es384 = await(TokenVerifier.create(vertx,
        new TokenConfig("", "", pem(EC384.getPublic()), "", "", "")));
    String t384 = sign(JWSAlgorithm.ES384, new ECDSASigner(EC384.getPrivate(), com.nimbusds.jose.jwk.Curve.P_384),
        null, "{\"sub\":\"dave\"}");
    assertThat(es384.verifyConnect(t384).user()).isEqualTo("dave");
  }

  @Test
  void rejectsTheWrongKey() throws Exception {
    String hsOther = sign(JWSAlgorithm.HS256,
        new MACSigner("another-secret-another-secret-another-secret".getBytes(StandardCharsets.UTF_8)), null,
        "{\"sub\":\"x\"}");
    String rsOther = sign(JWSAlgorithm.RS256, new RSASSASigner(OTHER_RSA.getPrivate()), null, "{\"sub\":\"x\"}");
    String esOther = sign(JWSAlgorithm.ES256, new ECDSASigner(OTHER_EC256.getPrivate(),
        com.nimbusds.jose.jwk.Curve.P_256), null, "{\"sub\":\"x\"}");
    assertRejected(() -> verifier.verifyConnect(hsOther), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifyConnect(rsOther), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifyConnect(esOther), TokenException.Kind.INVALID);
  }

  @Test
  void aHeaderSeenBeforeIsNotTrustedForTheRestOfTheToken() throws Exception {
    String good = hs("{\"sub\":\"alice\"}");
    assertThat(verifier.verifyConnect(good).user()).isEqualTo("alice"); // its header is now cached
    String[] p = good.split("\\.");
    String otherPayload = b64url("{\"sub\":\"mallory\"}");
    assertRejected(() -> verifier.verifyConnect(p[0] + "." + otherPayload + "." + p[2]), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifyConnect(p[0] + "." + p[1] + "."), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifyConnect(p[0] + "." + p[1] + ".AAAA"), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifyConnect(p[0] + "." + p[1]), TokenException.Kind.INVALID);
    assertThat(verifier.verifyConnect(good).user()).isEqualTo("alice");
  }

  @Test
  void rejectsAnAlgorithmWithoutItsKey() throws Exception {
    TokenVerifier hmacOnly = await(TokenVerifier.create(vertx, new TokenConfig(SECRET, "", "", "", "", "")));
    String rs = sign(JWSAlgorithm.RS256, new RSASSASigner(RSA.getPrivate()), null, "{\"sub\":\"x\"}");
    assertRejected(() -> hmacOnly.verifyConnect(rs), TokenException.Kind.INVALID);

    // algorithm confusion: HS256 "signed" with the RSA public key as the secret, against an RSA-only verifier
    TokenVerifier rsaOnly = await(TokenVerifier.create(vertx,
        new TokenConfig("", pem(RSA.getPublic()), "", "", "", "")));
    String confused = sign(JWSAlgorithm.HS256,
        new MACSigner(pem(RSA.getPublic()).getBytes(StandardCharsets.UTF_8)), null, "{\"sub\":\"x\"}");
    assertRejected(() -> rsaOnly.verifyConnect(confused), TokenException.Kind.INVALID);
  }

  @Test
  void rejectsEs384AgainstAP256Key() throws Exception {
    String t384 = sign(JWSAlgorithm.ES384, new ECDSASigner(EC384.getPrivate(), com.nimbusds.jose.jwk.Curve.P_384),
        null, "{\"sub\":\"x\"}");
    assertRejected(() -> verifier.verifyConnect(t384), TokenException.Kind.INVALID);
  }

  @Test
  void rejectsAlgorithmsOutsideTheList() throws Exception {
    String ps = sign(JWSAlgorithm.PS256, new RSASSASigner(RSA.getPrivate()), null, "{\"sub\":\"x\"}");
    assertRejected(() -> verifier.verifyConnect(ps), TokenException.Kind.INVALID);
  }

  @Test
  void rejectsAlgNone() {
    String none = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64url("{\"sub\":\"admin\"}") + ".";
    assertRejected(() -> verifier.verifyConnect(none), TokenException.Kind.INVALID);
    String noneUpper = b64url("{\"alg\":\"NONE\"}") + "." + b64url("{\"sub\":\"admin\"}") + ".";
    assertRejected(() -> verifier.verifyConnect(noneUpper), TokenException.Kind.INVALID);
  }

  @Test
  void rejectsMalformedAndTamperedTokens() throws Exception {
    assertRejected(() -> verifier.verifyConnect(""), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifyConnect(null), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifyConnect("not-a-jwt"), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifyConnect("a.b.c"), TokenException.Kind.INVALID);
    String good = hs("{\"sub\":\"alice\"}");
    String[] parts = good.split("\\.");
    String tampered = parts[0] + "." + b64url("{\"sub\":\"admin\"}") + "." + parts[2];
    assertRejected(() -> verifier.verifyConnect(tampered), TokenException.Kind.INVALID);
    String notJsonPayload = hs("[1,2]");
    assertRejected(() -> verifier.verifyConnect(notJsonPayload), TokenException.Kind.INVALID);
  }

  // ---- time ---------------------------------------------------------------------------------------------

  @Test
  void expiredTokenIsExpired() throws Exception {
    String token = hs("{\"sub\":\"alice\",\"exp\":" + (now() - 10) + "}");
    assertRejected(() -> verifier.verifyConnect(token), TokenException.Kind.EXPIRED);
  }

  @Test
  void notYetValidTokenIsExpired() throws Exception {
    String token = hs("{\"sub\":\"alice\",\"nbf\":" + (now() + 60) + "}");
    assertRejected(() -> verifier.verifyConnect(token), TokenException.Kind.EXPIRED);
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"alice\",\"nbf\":" + (now() - 5) + "}")).user())
        .isEqualTo("alice");
  }

  @Test
  void expiryComesFromExpOrExpireAt() throws Exception {
    long exp = now() + 3600;
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"a\",\"exp\":" + exp + "}")).expireAt()).isEqualTo(exp);
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"a\"}")).expireAt()).isZero();
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"a\",\"exp\":" + exp + ",\"expire_at\":0}")).expireAt())
        .as("expire_at 0 = never").isZero();
    long later = now() + 86400;
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"a\",\"exp\":" + exp + ",\"expire_at\":" + later + "}"))
        .expireAt()).isEqualTo(later);
    String pastExpireAt = hs("{\"sub\":\"a\",\"expire_at\":" + (now() - 5) + "}");
    assertRejected(() -> verifier.verifyConnect(pastExpireAt), TokenException.Kind.EXPIRED);
    String expWins = hs("{\"sub\":\"a\",\"exp\":" + (now() - 5) + ",\"expire_at\":0}");
    assertRejected(() -> verifier.verifyConnect(expWins), TokenException.Kind.EXPIRED);
  }

  // ---- connection claims --------------------------------------------------------------------------------

  @Test
  void connectClaimsCarryInfoChannelsAndMeta() throws Exception {
    ConnectClaims c = verifier.verifyConnect(hs(
        "{\"sub\":\"alice\",\"info\":{\"name\":\"Alice\",\"n\":1.5,\"tags\":[1,2]},"
            + "\"channels\":[\"notify:#alice\",\"news\"],\"meta\":{\"tier\":\"gold\"}}"));
    assertThat(c).isEqualTo(new ConnectClaims("alice", 0, "{\"name\":\"Alice\",\"n\":1.5,\"tags\":[1,2]}",
        List.of("notify:#alice", "news"), "{\"tier\":\"gold\"}"));
  }

  @Test
  void anonymousTokenHasEmptyUserAndNoExtras() throws Exception {
    assertThat(verifier.verifyConnect(hs("{}"))).isEqualTo(new ConnectClaims("", 0, null, List.of(), null));
  }

  @Test
  void infoOverThePayloadLimitsMakesTheTokenInvalid() throws Exception {
    // The defaults, payload.max_depth 64: info is carried by every presence answer and publication of the client.
    String deep = "[".repeat(65) + "]".repeat(65);
    assertRejected(() -> verifier.verifyConnect(hs("{\"sub\":\"a\",\"info\":" + deep + "}")),
        TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifySubscription(hs("{\"sub\":\"a\",\"channel\":\"c\",\"info\":" + deep + "}")),
        TokenException.Kind.INVALID);
    String deepB64 = Base64.getEncoder().encodeToString(deep.getBytes(StandardCharsets.UTF_8));
    assertRejected(() -> verifier.verifyConnect(hs("{\"sub\":\"a\",\"b64info\":\"" + deepB64 + "\"}")),
        TokenException.Kind.INVALID);
    String atLimit = "[".repeat(64) + "]".repeat(64);
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"a\",\"info\":" + atLimit + "}")).info()).isEqualTo(atLimit);
  }

  @Test
  void b64infoWithLineBreaksIsKeptCompact() throws Exception {
    // A line break would split the JSON frames that embed it.
    String b64 = Base64.getEncoder().encodeToString("{\n  \"a\": 1\n}".getBytes(StandardCharsets.UTF_8));
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"a\",\"b64info\":\"" + b64 + "\"}")).info())
        .isEqualTo("{\"a\":1}");
  }

  @Test
  void b64infoIsDecodedAndWinsOverInfo() throws Exception {
    String b64 = Base64.getEncoder().encodeToString("{\"avatar\":\"x.png\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"a\",\"b64info\":\"" + b64 + "\"}")).info())
        .isEqualTo("{\"avatar\":\"x.png\"}");
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"a\",\"info\":{\"i\":1},\"b64info\":\"" + b64 + "\"}")).info())
        .isEqualTo("{\"avatar\":\"x.png\"}");
    String notJson = Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8));
    assertRejected(() -> verifier.verifyConnect(hs("{\"sub\":\"a\",\"b64info\":\"" + notJson + "\"}")),
        TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifyConnect(hs("{\"sub\":\"a\",\"b64info\":\"%%%\"}")),
        TokenException.Kind.INVALID);
  }

  @Test
  void channelClaimMakesAConnectionTokenInvalid() throws Exception {
    String token = hs("{\"sub\":\"alice\",\"channel\":\"chat:room\"}");
    assertRejected(() -> verifier.verifyConnect(token), TokenException.Kind.INVALID);
  }

  @Test
  void malformedClaimTypesAreInvalid() throws Exception {
    for (String claims : List.of("{\"sub\":42}", "{\"sub\":\"a\",\"channels\":\"news\"}",
        "{\"sub\":\"a\",\"channels\":[1]}", "{\"sub\":\"a\",\"exp\":\"soon\"}",
        "{\"sub\":\"a\",\"expire_at\":\"never\"}")) {
      String token = hs(claims);
      assertRejected(() -> verifier.verifyConnect(token), TokenException.Kind.INVALID);
    }
  }

  // ---- audience and issuer ------------------------------------------------------------------------------

  @Test
  void audienceAndIssuerAreCheckedWhenConfigured() throws Exception {
    TokenVerifier strict = await(TokenVerifier.create(vertx,
        new TokenConfig(SECRET, "", "", "", "switchboard", "https://auth.example")));
    String iss = "\"iss\":\"https://auth.example\"";
    assertThat(strict.verifyConnect(hs("{\"sub\":\"a\",\"aud\":\"switchboard\"," + iss + "}")).user()).isEqualTo("a");
    assertThat(strict.verifyConnect(hs("{\"sub\":\"a\",\"aud\":[\"x\",\"switchboard\"]," + iss + "}")).user())
        .isEqualTo("a");
    for (String claims : List.of(
        "{\"sub\":\"a\",\"aud\":\"other\"," + iss + "}",
        "{\"sub\":\"a\",\"aud\":[\"other\"]," + iss + "}",
        "{\"sub\":\"a\"," + iss + "}",
        "{\"sub\":\"a\",\"aud\":\"switchboard\",\"iss\":\"https://evil.example\"}",
        "{\"sub\":\"a\",\"aud\":\"switchboard\"}")) {
      String token = hs(claims);
      assertRejected(() -> strict.verifyConnect(token), TokenException.Kind.INVALID);
    }
    // not configured: not checked
    assertThat(verifier.verifyConnect(hs("{\"sub\":\"a\",\"aud\":\"other\",\"iss\":\"whoever\"}")).user())
        .isEqualTo("a");
  }

  // ---- subscription tokens ------------------------------------------------------------------------------

  @Test
  void subscriptionTokens() throws Exception {
    long exp = now() + 600;
    SubscriptionClaims s = verifier.verifySubscription(hs(
        "{\"sub\":\"alice\",\"channel\":\"$secret:room\",\"client\":\"c-1\",\"info\":{\"role\":\"op\"},\"exp\":"
            + exp + "}"));
    assertThat(s).isEqualTo(new SubscriptionClaims("alice", "$secret:room", "c-1", "{\"role\":\"op\"}", exp));

    assertThat(verifier.verifySubscription(hs("{\"sub\":\"a\",\"channel\":\"c\",\"expire_at\":0,\"exp\":" + exp + "}")))
        .isEqualTo(new SubscriptionClaims("a", "c", "", null, 0));

    assertRejected(() -> verifier.verifySubscription(hs("{\"sub\":\"alice\"}")), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifySubscription(hs("{\"sub\":\"alice\",\"channel\":\"\"}")),
        TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifySubscription(hs("{\"sub\":\"a\",\"channel\":\"c\",\"exp\":" + (now() - 1) + "}")),
        TokenException.Kind.EXPIRED);
    assertRejected(() -> verifier.verifySubscription(
        hs("{\"sub\":\"a\",\"channel\":\"c\",\"expire_at\":" + (now() - 1) + "}")), TokenException.Kind.EXPIRED);
  }

  // ---- minting ------------------------------------------------------------------------------------------

  @Test
  void mintedTokensVerify() throws Exception {
    TokenMinter minter = new TokenMinter(SECRET);
    ConnectClaims c = verifier.verifyConnect(minter.mint("alice", Duration.ofHours(1)));
    assertThat(c.user()).isEqualTo("alice");
    assertThat(c.expireAt()).isBetween(now() + 3590, now() + 3600);
    assertThat(verifier.verifyConnect(minter.mint("", null))).isEqualTo(new ConnectClaims("", 0, null, List.of(), null));

    String sub = minter.mintSubscription("alice", "chat:room", Duration.ofMinutes(5));
    assertThat(verifier.verifySubscription(sub).channel()).isEqualTo("chat:room");
    assertRejected(() -> verifier.verifyConnect(sub), TokenException.Kind.INVALID);
    assertRejected(() -> verifier.verifySubscription(minter.mint("alice", null)), TokenException.Kind.INVALID);

    TokenMinter other = new TokenMinter("a-different-secret-a-different-secret");
    assertRejected(() -> verifier.verifyConnect(other.mint("alice", null)), TokenException.Kind.INVALID);
    assertThatThrownBy(() -> new TokenMinter("short")).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- configuration errors -----------------------------------------------------------------------------

  @Test
  void badKeysFailCreationNamingTheKey() {
    assertThatThrownBy(() -> await(TokenVerifier.create(vertx, new TokenConfig("", "garbage", "", "", "", ""))))
        .hasCauseInstanceOf(ConfigException.class).hasMessageContaining("token.rsa_public_key");
    assertThatThrownBy(() -> await(TokenVerifier.create(vertx,
        new TokenConfig("", "", pem(RSA.getPublic()), "", "", ""))))
        .hasCauseInstanceOf(ConfigException.class).hasMessageContaining("token.ecdsa_public_key");
    assertThatThrownBy(() -> await(TokenVerifier.create(vertx, new TokenConfig("short", "", "", "", "", ""))))
        .hasCauseInstanceOf(ConfigException.class).hasMessageContaining("token.hmac_secret");
  }
}
