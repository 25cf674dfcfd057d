package io.switchboard.auth;

import static io.switchboard.auth.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import io.switchboard.config.TokenConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JWKS: a real Vert.x HTTP server on 127.0.0.1 serves the key set. */
class JwksTest {
  static final KeyPair RSA1 = Tokens.rsa();
  static final KeyPair RSA3 = Tokens.rsa();
  static final KeyPair EC2 = Tokens.ec("secp256r1");

  static Vertx vertx;
  static HttpServer server;
  static final AtomicReference<String> jwks = new AtomicReference<>();
  static final Map<String, AtomicInteger> fetchesByPath = new ConcurrentHashMap<>();
  static String base;
  /** Each test has its own JWKS path, so late background fetches of another test's verifier do not count. */
  String url;
  AtomicInteger fetches;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    server = await(vertx.createHttpServer().requestHandler(req -> {
      fetchesByPath.computeIfAbsent(req.path(), p -> new AtomicInteger()).incrementAndGet();
      req.response().putHeader("content-type", "application/json").end(jwks.get());
    }).listen(0, "127.0.0.1"));
    base = "http://127.0.0.1:" + server.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  @BeforeEach
  void reset() {
    jwks.set(set(rsaJwk("k1", RSA1, null), ecJwk("k2", EC2)));
    String path = "/jwks-" + UUID.randomUUID() + ".json";
    fetches = fetchesByPath.computeIfAbsent(path, p -> new AtomicInteger());
    url = base + path;
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static JWK rsaJwk(String kid, KeyPair kp, JWSAlgorithm alg) {
    return new RSAKey.Builder((RSAPublicKey) kp.getPublic()).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(alg)
        .build();
  }

  static JWK ecJwk(String kid, KeyPair kp) {
    return new ECKey.Builder(Curve.P_256, (ECPublicKey) kp.getPublic()).keyID(kid).build();
  }

  static String set(JWK... keys) {
    return new JWKSet(List.of(keys)).toString();
  }

  static String rs(JWSAlgorithm alg, KeyPair kp, String kid, String sub) throws Exception {
    return sign(alg, new RSASSASigner(kp.getPrivate()), kid, "{\"sub\":\"" + sub + "\"}");
  }

  TokenVerifier create(Duration minRefresh) throws Exception {
    return await(TokenVerifier.create(vertx, new TokenConfig("", "", "", url, "", ""), minRefresh));
  }

  @Test
  void findsKeysByKid() throws Exception {
    TokenVerifier v = create(Duration.ofSeconds(60));
    assertThat(fetches.get()).as("fetched once at creation").isEqualTo(1);
    assertThat(v.verifyConnect(rs(JWSAlgorithm.RS256, RSA1, "k1", "alice")).user()).isEqualTo("alice");
    String es = sign(JWSAlgorithm.ES256, new ECDSASigner(EC2.getPrivate(), Curve.P_256), "k2", "{\"sub\":\"bob\"}");
    assertThat(v.verifyConnect(es).user()).isEqualTo("bob");
    assertThat(await(v.verifyConnectAsync(es)).user()).isEqualTo("bob");

    // right kid, wrong key; a kid of the wrong key type; no kid at all
    String forged = rs(JWSAlgorithm.RS256, RSA3, "k1", "mallory");
    assertThatThrownBy(() -> v.verifyConnect(forged)).isInstanceOf(TokenException.class);
    String wrongType = rs(JWSAlgorithm.RS256, RSA1, "k2", "x");
    assertThatThrownBy(() -> v.verifyConnect(wrongType)).isInstanceOf(TokenException.class);
    String noKid = rs(JWSAlgorithm.RS256, RSA1, null, "x");
    assertThatThrownBy(() -> v.verifyConnect(noKid)).isInstanceOf(TokenException.class);
    assertThat(fetches.get()).as("known kids never refetch").isEqualTo(1);
    await(v.close());
  }

  @Test
  void respectsTheAlgorithmAJwkPins() throws Exception {
    jwks.set(set(rsaJwk("k1", RSA1, JWSAlgorithm.RS256)));
    TokenVerifier v = create(Duration.ofSeconds(60));
    assertThat(v.verifyConnect(rs(JWSAlgorithm.RS256, RSA1, "k1", "a")).user()).isEqualTo("a");
    String rs512 = rs(JWSAlgorithm.RS512, RSA1, "k1", "a");
    assertThatThrownBy(() -> v.verifyConnect(rs512)).isInstanceOfSatisfying(TokenException.class,
        e -> assertThat(e.kind()).isEqualTo(TokenException.Kind.INVALID));
    await(v.close());
  }

  @Test
  void unknownKidRefreshesTheSetAndTheAsyncCallWaitsForIt() throws Exception {
    TokenVerifier v = create(Duration.ZERO);
    jwks.set(set(rsaJwk("k1", RSA1, null), rsaJwk("k3", RSA3, null))); // the IdP rotates
    String token = rs(JWSAlgorithm.RS256, RSA3, "k3", "carol");

    Context ctx = vertx.getOrCreateContext();
    Promise<Boolean> sameContext = Promise.promise();
    AtomicReference<String> user = new AtomicReference<>();
    ctx.runOnContext(x -> v.verifyConnectAsync(token).onComplete(ar -> {
      if (ar.succeeded()) {
        user.set(ar.result().user());
      }
      sameContext.complete(Vertx.currentContext() == ctx);
    }));
    assertThat(await(sameContext.future())).as("completes on the caller's context").isTrue();
    assertThat(user.get()).isEqualTo("carol");
    assertThat(fetches.get()).isEqualTo(2);

    // a kid that stays unknown after the refresh is invalid
    String ghost = rs(JWSAlgorithm.RS256, RSA3, "ghost", "x");
    assertThatThrownBy(() -> await(v.verifyConnectAsync(ghost)))
        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TokenException.class);
    await(v.close());
  }

  @Test
  void syncCallRejectsAnUnknownKidButStartsARefresh() throws Exception {
    TokenVerifier v = create(Duration.ZERO);
    jwks.set(set(rsaJwk("k3", RSA3, null)));
    String token = rs(JWSAlgorithm.RS256, RSA3, "k3", "carol");
    assertThatThrownBy(() -> v.verifyConnect(token)).isInstanceOf(TokenException.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    String user = null;
    while (user == null && System.nanoTime() < deadline) {
      try {
        user = v.verifyConnect(token).user();
      } catch (TokenException e) {
        Thread.sleep(20);
      }
    }
    assertThat(user).isEqualTo("carol");
    // the rotation removed k1
    String old = rs(JWSAlgorithm.RS256, RSA1, "k1", "alice");
    assertThatThrownBy(() -> await(v.verifyConnectAsync(old))).hasCauseInstanceOf(TokenException.class);
    await(v.close());
  }

  @Test
  void refreshesAtMostOncePerInterval() throws Exception {
    TokenVerifier v = create(Duration.ofSeconds(60));
    jwks.set(set(rsaJwk("k3", RSA3, null)));
    String token = rs(JWSAlgorithm.RS256, RSA3, "k3", "carol");
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> await(v.verifyConnectAsync(token))).hasCauseInstanceOf(TokenException.class);
      assertThatThrownBy(() -> v.verifyConnect(token)).isInstanceOf(TokenException.class);
    }
    assertThat(fetches.get()).as("only the initial fetch within 60 s").isEqualTo(1);
    await(v.close());
  }

  @Test
  void unreachableJwksDoesNotPreventStartAndIsRetried() throws Exception {
    jwks.set("this is not JSON");
    TokenVerifier v = create(Duration.ZERO);
    String token = rs(JWSAlgorithm.RS256, RSA1, "k1", "alice");
    jwks.set(set(rsaJwk("k1", RSA1, null)));
    assertThat(await(v.verifySubscriptionAsync(
        sign(JWSAlgorithm.RS256, new RSASSASigner(RSA1.getPrivate()), "k1", "{\"sub\":\"alice\",\"channel\":\"c\"}")))
        .channel()).isEqualTo("c");
    assertThat(v.verifyConnect(token).user()).isEqualTo("alice");
    await(v.close());
  }
}
