package io.switchboard.notify.push.fcm;

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

/** {@code push.fcm.trust_file}: the PEM CA(s) trusted instead of the JDK's, for a local stand-in. */
final class FcmTrust {
  private static final String KEY = "push.fcm.trust_file";
  private static final String ENV = " (SWITCHBOARD_PUSH_FCM_TRUST_FILE)";

  private FcmTrust() {}

  static KeyStore keyStore(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new ConfigException(KEY, "no PEM certificate in '" + pem + "'" + ENV);
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      return ks;
    } catch (ConfigException e) {
      throw e;
    } catch (Exception e) {
      throw new ConfigException(KEY, "'" + pem + "' is not a readable PEM certificate: " + e.getMessage() + ENV);
    }
  }

  static SSLContext sslContext(KeyStore trust) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new ConfigException(KEY, "unusable CA: " + e.getMessage() + ENV);
    }
  }
}
