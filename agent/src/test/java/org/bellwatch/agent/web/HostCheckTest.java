package org.bellwatch.agent.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.config.ConfigLoader;
import org.bellwatch.agent.testing.SiteFolder;
import org.bellwatch.agent.testing.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostCheckTest {
  @TempDir Path dir;

  @Test
  void theCertificatesNamesAndTheSingleSignOnCallbacksHostAreNamesOfTheConsole() throws Exception {
    TestCertificate cert =
        TestCertificate.create(
            dir, "console", "dns:console.school.example,dns:*.labs.school.example,ip:10.20.30.40");
    SiteFolder.write(dir.resolve("secret"), "s\n");
    SiteFolder.write(
        dir.resolve("bellwatch.yaml"),
        """
        site: {timezone: UTC}
        web: {bind: 0.0.0.0, tls_cert_file: console.crt, tls_key_file: console.key}
        auth:
          oidc:
            issuer: https://accounts.google.com
            client_id: app
            client_secret_file: secret
            redirect_url: https://bellwatch.district.example/api/v1/auth/oidc/callback
        """);
    BellwatchConfig cfg = ConfigLoader.load(dir.resolve("bellwatch.yaml"));
    HostCheck hosts = HostCheck.of(cfg, PemKeyStore.load(cert.certPem(), cert.keyPem()));
    assertThat(hosts.names())
        .contains(
            "localhost",
            "console.school.example",
            "*.labs.school.example",
            "10.20.30.40",
            "bellwatch.district.example");
    for (String allowed :
        new String[] {
          "console.school.example",
          "CONSOLE.school.example.:8443",
          "a.labs.school.example",
          "10.20.30.40:443",
          "bellwatch.district.example",
          "localhost",
          "127.0.0.1"
        }) {
      assertThat(hosts.allows(allowed)).as(allowed).isTrue();
    }
    for (String refused :
        new String[] {
          "labs.school.example",
          "a.b.labs.school.example",
          "school.example",
          "console.school.example.evil.example",
          "evil.example",
          "10.20.30.41",
          "",
          "[::1"
        }) {
      assertThat(hosts.allows(refused)).as(refused).isFalse();
    }
  }
}
