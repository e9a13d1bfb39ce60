package org.bellwatch.agent.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;

/**
 * A self-signed EC certificate for localhost and 127.0.0.1, made with the JDK's keytool and written
 * as the PEM files the agent's TLS settings take ({@code NAME.crt}, {@code NAME.key}).
 */
public record TestCertificate(Certificate certificate, Path certPem, Path keyPem) {
  public static TestCertificate create(Path dir, String name) throws Exception {
    return create(dir, name, "ip:127.0.0.1");
  }

  /**
   * As {@link #create(Path, String)} with these subject alternative names (keytool's SAN syntax).
   */
  public static TestCertificate create(Path dir, String name, String san) throws Exception {
    Path p12 = dir.resolve(name + ".p12");
    Process keytool;
    try {
      keytool =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                  "-genkeypair",
                  "-alias",
                  name,
                  "-keyalg",
                  "EC",
                  "-groupname",
                  "secp256r1",
                  "-dname",
                  "CN=localhost",
                  "-ext",
                  "SAN=" + san,
                  "-validity",
                  "2",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  p12.toString(),
                  "-storepass",
                  "changeit")
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      Assumptions.abort("keytool not available: " + e.getMessage());
      throw e;
    }
    keytool.getInputStream().readAllBytes();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(p12)) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate cert = ks.getCertificate(name);
    Path certPem = dir.resolve(name + ".crt");
    Path keyPem = dir.resolve(name + ".key");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(
        keyPem, pem("PRIVATE KEY", ks.getKey(name, "changeit".toCharArray()).getEncoded()));
    return new TestCertificate(cert, certPem, keyPem);
  }

  /** A client TLS context that trusts this certificate alone. */
  public SSLContext trustingIt() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", certificate);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return tls;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}
