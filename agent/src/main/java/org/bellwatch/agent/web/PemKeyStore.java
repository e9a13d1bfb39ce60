package org.bellwatch.agent.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bellwatch.agent.util.InputFiles;

/**
 * An in-memory key store from a PEM certificate chain and a PEM PKCS#8 private key (what certbot
 * and {@code openssl req} write), for the console's HTTPS connector. RSA, EC and Ed25519 keys are
 * accepted.
 */
final class PemKeyStore {
  static final char[] PASSWORD = "bellwatch".toCharArray();
  private static final Pattern KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private PemKeyStore() {}

  static KeyStore load(Path certFile, Path keyFile) throws IOException {
    try {
      List<? extends Certificate> chain =
          List.copyOf(
              CertificateFactory.getInstance("X.509")
                  .generateCertificates(new ByteArrayInputStream(InputFiles.read(certFile))));
      if (chain.isEmpty()) {
        throw new IOException(certFile + ": no PEM certificate");
      }
      Matcher m = KEY.matcher(new String(InputFiles.read(keyFile), StandardCharsets.US_ASCII));
      if (!m.find()) {
        throw new IOException(
            keyFile
                + ": no PEM 'BEGIN PRIVATE KEY' block (PKCS#8; convert with"
                + " openssl pkcs8 -topk8 -nocrypt)");
      }
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      PrivateKey key = null;
      for (String alg : List.of("RSA", "EC", "Ed25519")) {
        try {
          key = KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
          break;
        } catch (GeneralSecurityException e) {
          // Try the next algorithm.
        }
      }
      if (key == null) {
        throw new IOException(keyFile + ": not an RSA, EC or Ed25519 private key");
      }
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("console", key, PASSWORD, chain.toArray(new Certificate[0]));
      return ks;
    } catch (GeneralSecurityException e) {
      throw new IOException(certFile + ": " + e.getMessage(), e);
    }
  }
}
