package io.switchboard.notify.push.apns;

import io.switchboard.config.ConfigException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An SSLContext that trusts only the CA certificates of one PEM file (a local APNs stand-in's CA). */
final class PemTrust {
  static final String KEY = "push.apns.trust_file";
  static final String ENV = "SWITCHBOARD_PUSH_APNS_TRUST_FILE";

  private PemTrust() {}

  static SSLContext context(Path pem) {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(pem)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (Exception e) {
      throw new ConfigException(KEY, "'" + pem + "' is not a PEM certificate: " + e.getMessage() + " (" + ENV + ")");
    }
    if (certs.isEmpty()) {
      throw new ConfigException(KEY, "'" + pem + "' holds no certificate (" + ENV + ")");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        store.setCertificateEntry("ca" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new ConfigException(KEY, "cannot trust '" + pem + "': " + e.getMessage() + " (" + ENV + ")");
    }
  }
}
