package org.bellwatch.agent.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.bellwatch.agent.config.HubConfig;
import org.bellwatch.agent.testing.KafkaBrokers;
import org.bellwatch.agent.testing.TestCertificate;
import org.bellwatch.agent.web.Passwords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's console with {@code hub.tls_cert_file} and {@code hub.tls_key_file}: HTTPS only, with
 * the configured certificate, HSTS and a Secure {@code __Host-} session cookie (the site console's
 * connector, {@code web.ConsoleConnector}).
 */
class HubTlsTest {
  private static final String PASSWORD = "district it password 1";
  @TempDir Path dir;

  @Test
  void withACertificateTheHubIsHttpsOnlyWithHstsAndASecureHostCookie() throws Exception {
    TestCertificate cert = TestCertificate.create(dir, "hub");
    HubConfig cfg =
        new HubConfig(
            "Springfield",
            // No broker: the console answers whether the hub can read Kafka or not.
            KafkaBrokers.plaintextLink("127.0.0.1:1", "tls", null, null),
            "bellwatch-hub",
            dir.resolve("store"),
            InetAddress.getLoopbackAddress(),
            0,
            List.of(
                new HubConfig.Account(
                    "it", "district_it", null, Passwords.hash(PASSWORD.toCharArray(), 1000))),
            ZoneId.of("UTC"),
            List.of(),
            cert.certPem(),
            cert.keyPem(),
            HubConfig.Retention.DEFAULT,
            true);
    try (Hub hub = Hub.start(cfg, Clock.systemUTC())) {
      String base = "https://127.0.0.1:" + hub.port();
      HttpClient https =
          HttpClient.newBuilder()
              .sslContext(cert.trustingIt())
              .connectTimeout(Duration.ofSeconds(10))
              .build();
      HttpResponse<String> login =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
                  .header("Origin", base)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"username\":\"it\",\"password\":\"" + PASSWORD + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      // The client checked the chain against the configured certificate and its name (127.0.0.1).
      assertThat(login.sslSession().orElseThrow().getPeerCertificates()[0])
          .isEqualTo(cert.certificate());
      String setCookie = login.headers().firstValue("set-cookie").orElseThrow();
      assertThat(setCookie)
          .matches(
              "__Host-bw_hub_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=43200; HttpOnly;"
                  + " SameSite=Strict; Secure");
      assertThat(login.headers().firstValue("strict-transport-security"))
          .hasValue("max-age=31536000");
      HttpResponse<String> session =
          https.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/session"))
                  .header("Cookie", setCookie.substring(0, setCookie.indexOf(';')))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(session.statusCode()).as(session.body()).isEqualTo(200);

      // A client that does not trust the certificate refuses the connection.
      Throwable untrusted =
          catchThrowable(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                          HttpResponse.BodyHandlers.ofString()));
      assertThat(untrusted).isInstanceOf(SSLHandshakeException.class);

      // Plain HTTP on the HTTPS port gets no answer.
      Throwable plain =
          catchThrowable(
              () ->
                  HttpClient.newHttpClient()
                      .send(
                          HttpRequest.newBuilder(
                                  URI.create("http://127.0.0.1:" + hub.port() + "/health"))
                              .timeout(Duration.ofSeconds(5))
                              .build(),
                          HttpResponse.BodyHandlers.ofString()));
      assertThat(plain).isInstanceOf(java.io.IOException.class);
    }
  }
}
