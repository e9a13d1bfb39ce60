package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.pipeline.Agent;
import org.bellwatch.agent.schedule.SiteModel;
import org.bellwatch.agent.testing.SiteFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console over HTTPS with a PEM certificate: HSTS, a Secure __Host- cookie, and no plain HTTP.
 */
class ConsoleTlsTest {
  @TempDir static Path dir;
  static Agent agent;
  static SSLContext tls;
  static HttpClient https;

  @org.junit.jupiter.api.BeforeAll
  static void start() throws Exception {
    org.bellwatch.agent.testing.TestCertificate cert =
        org.bellwatch.agent.testing.TestCertificate.create(dir, "web");
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        store: {dir: store}
        web: {port: 0, tls_cert_file: web.crt, tls_key_file: web.key}
        auth: {pbkdf2_iterations: 1000}
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    TestAccounts.write(cfg.store().dir(), cfg.site().timezone());

    tls = cert.trustingIt();
    https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    agent = Agent.start(cfg, SiteModel.load(null, cfg.site().timezone()), Clock.systemUTC());
  }

  @org.junit.jupiter.api.AfterAll
  static void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void withACertificateTheConsoleIsHttpsOnlyWithHstsAndASecureHostCookie() throws Exception {
    {
      String base = "https://127.0.0.1:" + agent.port();
      HttpResponse<String> login =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                  .header("Origin", base)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"username\":\"admin1\",\"password\":\""
                              + TestAccounts.PASSWORD
                              + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).isEqualTo(200);
      assertThat(login.headers().firstValue("set-cookie").orElseThrow())
          .matches(
              "__Host-bw_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; HttpOnly; SameSite=Strict; Secure");
      assertThat(login.headers().firstValue("strict-transport-security"))
          .hasValue("max-age=31536000");
      String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
      HttpResponse<String> site =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/site"))
                  .header("Cookie", cookie)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(site.statusCode()).isEqualTo(200);

      HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      boolean plainAnswered;
      try {
        plainAnswered =
            plain
                    .send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + agent.port() + "/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .statusCode()
                == 200;
      } catch (java.io.IOException e) {
        plainAnswered = false;
      }
      assertThat(plainAnswered).as("plain HTTP on the HTTPS port").isFalse();
    }
  }

  @Test
  void theConsoleNegotiatesTls13AndRefusesClientsThatOfferOnlyTls10Or11() throws Exception {
    // What the server's SslContextFactory enables, seen from a client that offers everything it
    // can.
    java.util.Map<String, String> outcome = new java.util.LinkedHashMap<>();
    for (String[] offer :
        new String[][] {{"TLSv1.3", "TLSv1.2"}, {"TLSv1.2"}, {"TLSv1.1"}, {"TLSv1"}}) {
      outcome.put(String.join("+", offer), handshake(offer, null));
    }
    assertThat(outcome)
        .containsExactly(
            java.util.Map.entry("TLSv1.3+TLSv1.2", "TLSv1.3"),
            java.util.Map.entry("TLSv1.2", "TLSv1.2"),
            java.util.Map.entry("TLSv1.1", "refused"),
            java.util.Map.entry("TLSv1", "refused"));
    // TLS 1.2 with a weak cipher suite (no forward secrecy, CBC, 3DES, RC4, NULL, export) is
    // refused too.
    for (String weak :
        new String[] {
          "TLS_RSA_WITH_AES_128_CBC_SHA",
          "TLS_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
          "SSL_RSA_WITH_3DES_EDE_CBC_SHA",
          "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"
        }) {
      outcome.put(weak, handshake(new String[] {"TLSv1.2"}, weak));
    }
    assertThat(outcome)
        .containsEntry("TLS_RSA_WITH_AES_128_CBC_SHA", "refused")
        .containsEntry("TLS_RSA_WITH_AES_128_GCM_SHA256", "refused")
        .containsEntry("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "refused")
        .containsEntry("SSL_RSA_WITH_3DES_EDE_CBC_SHA", "refused")
        .containsEntry("TLS_ECDH_anon_WITH_AES_128_CBC_SHA", "refused");
    // A TLS 1.2 client with a forward-secret AEAD suite gets it.
    assertThat(handshake(new String[] {"TLSv1.2"}, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
        .isEqualTo("TLSv1.2");
  }

  /** The negotiated protocol, or "refused" when the handshake fails. */
  private static String handshake(String[] protocols, String suite) throws Exception {
    try (javax.net.ssl.SSLSocket s =
        (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", agent.port())) {
      s.setSoTimeout(10_000);
      javax.net.ssl.SSLParameters p = s.getSSLParameters();
      p.setProtocols(protocols);
      if (suite != null) {
        p.setCipherSuites(new String[] {suite});
      }
      s.setSSLParameters(p);
      s.startHandshake();
      return s.getSession().getProtocol();
    } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
      return "refused";
    }
  }
}
