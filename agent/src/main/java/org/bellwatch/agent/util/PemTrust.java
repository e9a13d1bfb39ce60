package org.bellwatch.agent.util;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS client context that trusts exactly the certificates of one PEM file (a private CA, or a
 * self-signed server certificate), not the JDK's public ones.
 */
public final class PemTrust {
  private PemTrust() {}

  public static SSLContext trusting(Path pemFile) throws IOException {
    try (var in = new ByteArrayInputStream(InputFiles.read(pemFile))) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("trusted-" + i++, cert);
      }
      if (i == 0) {
        throw new IOException(pemFile + ": no certificate in it");
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException(pemFile + ": " + e.getMessage(), e);
    }
  }
}
