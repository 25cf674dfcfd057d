package io.switchboard.testsupport;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway certificate authority for local HTTPS stand-ins (FCM, APNs): a CA certificate, and a server
 * certificate it signed for {@code localhost} and {@code 127.0.0.1}. Files, PEM: {@link #caFile()} is what the
 * server under test trusts ({@code push.*.trust_file}); {@link #certFile()} and {@link #keyFile()} (PKCS#8) are
 * what a Vert.x {@code PemKeyCertOptions} serves.
 */
public final class TestCa {
  private final Path dir;

  private TestCa(Path dir) {
    this.dir = dir;
  }

  public static TestCa create() {
    try {
      Path dir = Files.createTempDirectory("switchboard-test-ca");
      KeyPair ca = ec();
      X500Name caName = new X500Name("CN=Switchboard Test CA");
      Instant now = Instant.now();
      Date from = Date.from(now.minus(Duration.ofHours(1)));
      Date to = Date.from(now.plus(Duration.ofDays(2)));
      org.bouncycastle.cert.X509v3CertificateBuilder caBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, from, to, caName, ca.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate caCert = sign(caBuilder, ca.getPrivate());
      KeyPair leaf = ec();
      org.bouncycastle.cert.X509v3CertificateBuilder leafBuilder = new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, from, to,
          new X500Name("CN=localhost"), leaf.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      X509Certificate leafCert = sign(leafBuilder, ca.getPrivate());
      write(dir.resolve("ca.pem"), caCert);
      write(dir.resolve("server.pem"), leafCert);
      write(dir.resolve("server-key.pem"), new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(leaf.getPrivate(), null));
      return new TestCa(dir);
    } catch (Exception e) {
      throw new IllegalStateException("cannot make the test CA", e);
    }
  }

  public Path caFile() {
    return dir.resolve("ca.pem");
  }

  public Path certFile() {
    return dir.resolve("server.pem");
  }

  public Path keyFile() {
    return dir.resolve("server-key.pem");
  }

  /** Vert.x server options' key and certificate. */
  public io.vertx.core.net.PemKeyCertOptions serverKeyCert() {
    return new io.vertx.core.net.PemKeyCertOptions().setKeyPath(keyFile().toString())
        .setCertPath(certFile().toString());
  }

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder b, PrivateKey key) throws Exception {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
        .build(key)));
  }

  private static void write(Path file, Object pem) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(pem);
    }
    Files.writeString(file, out.toString());
  }
}
