package org.bellwatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export.kafka of a site and the hub's configuration: bound whole, refused naming key, line and
 * value.
 */
class KafkaConfigTest {
  @TempDir Path dir;

  private BellwatchConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "bellwatch.yaml", dir);
  }

  @Test
  void withoutAnExportSectionNothingIsExported() throws Exception {
    assertThat(parse("site: {timezone: UTC}\n").export()).isEqualTo(BellwatchConfig.Export.NONE);
  }

  @Test
  void aSaslSslExportIsBoundWithItsFilesResolvedBesideTheConfiguration() throws Exception {
    Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    Files.writeString(dir.resolve("kafka.password"), "s3cret\n");
    BellwatchConfig c =
        parse(
            """
        export:
          kafka:
            bootstrap_servers: [k1.district.example:9093, "[2001:db8::1]:9093"]
            topic_prefix: springfield
            site_id: lincoln-ms
            site_name: Lincoln Middle
            security_protocol: SASL_SSL
            tls_ca_file: ca.pem
            sasl_mechanism: SCRAM-SHA-512
            sasl_username: lincoln
            sasl_password_file: kafka.password
            delivery_timeout_secs: 60
            lag_warn_events: 500
        """);
    assertThat(c.export().kafka())
        .isEqualTo(
            new KafkaLink(
                List.of("k1.district.example:9093", "[2001:db8::1]:9093"),
                "springfield",
                "lincoln-ms",
                "Lincoln Middle",
                "SASL_SSL",
                dir.resolve("ca.pem"),
                "SCRAM-SHA-512",
                "lincoln",
                dir.resolve("kafka.password"),
                Duration.ofSeconds(60),
                500));
  }

  @Test
  void aPlaintextExportTakesItsDefaults() throws Exception {
    BellwatchConfig c =
        parse("export: {kafka: {bootstrap_servers: [127.0.0.1:9092], site_id: adams-es}}\n");
    assertThat(c.export().kafka())
        .isEqualTo(
            new KafkaLink(
                List.of("127.0.0.1:9092"),
                "bellwatch",
                "adams-es",
                "adams-es",
                "PLAINTEXT",
                null,
                null,
                null,
                null,
                Duration.ofSeconds(120),
                10_000));
  }

  @Test
  void badExportSettingsAreRefusedNamingKeyLineAndValue() {
    assertThatThrownBy(
            () -> parse("export:\n  kafka:\n    bootstrap_servers: [kafka]\n    site_id: a\n"))
        .hasMessage("bellwatch.yaml:3: export.kafka.bootstrap_servers: 'kafka' is not host:port");
    assertThatThrownBy(() -> parse("export:\n  kafka:\n    bootstrap_servers: [k:9092]\n"))
        .hasMessageContaining("export.kafka.site_id: is required");
    assertThatThrownBy(
            () ->
                parse(
                    "export:\n  kafka:\n    bootstrap_servers: [k:9092]\n    site_id: Lincoln MS\n"))
        .hasMessage(
            "bellwatch.yaml:4: export.kafka.site_id: 'Lincoln MS' is not 1-64 lower-case letters, digits,"
                + " '-' or '_' starting with a letter or digit");
    assertThatThrownBy(
            () ->
                parse(
                    "export:\n  kafka:\n    bootstrap_servers: [k:9092]\n    site_id: a\n"
                        + "    topic_prefix: 'bad/prefix'\n"))
        .hasMessageContaining("export.kafka.topic_prefix: 'bad/prefix' is not");
    // 176 characters: a 64-character school's PREFIX.requests.SITE_ID would pass Kafka's 249.
    String longPrefix = "p".repeat(176);
    assertThatThrownBy(
            () ->
                parse(
                    "export:\n  kafka:\n    bootstrap_servers: [k:9092]\n    site_id: a\n"
                        + "    topic_prefix: "
                        + longPrefix
                        + "\n"))
        .hasMessage(
            "bellwatch.yaml:5: export.kafka.topic_prefix: '"
                + longPrefix
                + "' is not 1-175 of the characters Kafka allows in a topic name (letters, digits,"
                + " '.', '_', '-')");
    assertThatThrownBy(
            () ->
                parse(
                    "export:\n  kafka:\n    bootstrap_servers: [k:9092]\n    site_id: a\n"
                        + "    security_protocol: SASL_SSL\n    sasl_mechanism: PLAIN\n"))
        .hasMessageContaining(
            "export.kafka.sasl_mechanism: 'PLAIN' is not SCRAM-SHA-256 or SCRAM-SHA-512");
    assertThatThrownBy(
            () ->
                parse(
                    "export:\n  kafka:\n    bootstrap_servers: [k:9092]\n    site_id: a\n"
                        + "    sasl_username: x\n"))
        .hasMessageContaining(
            "export.kafka.sasl_username: is set but security_protocol PLAINTEXT does not use SASL");
    assertThatThrownBy(
            () ->
                parse(
                    "export:\n  kafka:\n    bootstrap_servers: [k:9092]\n    site_id: a\n"
                        + "    security_protocol: SSL\n    tls_ca_file: missing.pem\n"))
        .hasMessageContaining("export.kafka.tls_ca_file: 'missing.pem' is not a readable file");
    assertThatThrownBy(
            () ->
                parse(
                    "export:\n  kafka:\n    bootstrap_servers: [k:9092]\n    site_id: a\n"
                        + "    partitions: 3\n"))
        .hasMessage("bellwatch.yaml:5: export.kafka.partitions: unknown key");
  }

  @Test
  void aSiteNameTheHubWouldRefuseFailsAtStartNamingTheKeyAndWhy() {
    String head = "export:\n  kafka:\n    bootstrap_servers: [k:9092]\n    site_id: a\n";
    assertThatThrownBy(() -> parse(head + "    site_name: \"Lincoln\\u202EMS\"\n"))
        .hasMessage(
            "bellwatch.yaml:5: export.kafka.site_name: holds the control character U+202E"
                + " (one line of at most 200 characters)");
    assertThatThrownBy(() -> parse(head + "    site_name: " + "L".repeat(201) + "\n"))
        .hasMessageContaining("export.kafka.site_name: is longer than 200 characters");
  }

  @Test
  void theHubReferenceConfigurationLoadsWithItsAccount() throws Exception {
    Path reference =
        Path.of(System.getProperty("bellwatch.repo", ".."), "config", "hub.reference.yaml");
    Path copy = dir.resolve("hub.yaml");
    Files.copy(reference, copy);
    Files.writeString(dir.resolve("district-it.password"), "a long enough password\n");
    HubConfig c = HubConfigLoader.load(copy, pw -> "hash:" + new String(pw));
    assertThat(c.accounts())
        .containsExactly(
            new HubConfig.Account(
                "district.it", "district_it", null, "hash:a long enough password"));
    assertThat(c.kafka().topicPrefix()).isEqualTo("bellwatch");
    assertThat(c.groupId()).isEqualTo("bellwatch-hub");
    assertThat(c.port()).isEqualTo(8090);
    assertThat(c.schools()).isEmpty();
    assertThat(c.retention()).isEqualTo(new HubConfig.Retention(90, 0));
    assertThat(c.tls()).isFalse();
    assertThat(c.metricsPublic()).as("loopback bind, metrics_public empty").isTrue();
  }

  private static final String HUB_HEAD =
      "hub:\n  kafka: {bootstrap_servers: [k:9092]}\n  accounts:\n"
          + "    - {username: it, role: district_it, password_file: it.pw}\n";

  @Test
  void theHubsRetentionTakesASitesKeysAndBoundsAndABadValueIsRefusedNamingKeyAndValue()
      throws Exception {
    Files.writeString(dir.resolve("it.pw"), "a long enough password\n");
    Files.writeString(
        dir.resolve("ok.yaml"),
        HUB_HEAD + "  retention: {events_days: 30, disk_budget_bytes: 1000000000}\n");
    assertThat(HubConfigLoader.load(dir.resolve("ok.yaml"), String::new).retention())
        .isEqualTo(new HubConfig.Retention(30, 1_000_000_000L));
    Files.writeString(dir.resolve("zero.yaml"), HUB_HEAD + "  retention: {events_days: 0}\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("zero.yaml"), String::new))
        .hasMessage(
            dir.resolve("zero.yaml")
                + ":5: hub.retention.events_days: 0 is out of range [1, 3660]");
    Files.writeString(
        dir.resolve("neg.yaml"), HUB_HEAD + "  retention:\n    disk_budget_bytes: -1\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("neg.yaml"), String::new))
        .hasMessage(
            dir.resolve("neg.yaml")
                + ":6: hub.retention.disk_budget_bytes: -1 is out of range [0, "
                + Long.MAX_VALUE
                + "]");
    Files.writeString(
        dir.resolve("rollups.yaml"), HUB_HEAD + "  retention:\n    rollups_days: 400\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("rollups.yaml"), String::new))
        .hasMessage(dir.resolve("rollups.yaml") + ":6: hub.retention.rollups_days: unknown key");
  }

  @Test
  void aHubBoundBeyondLoopbackNeedsItsCertificateAndKeyOrPlainHttpAllowedByName() throws Exception {
    Files.writeString(dir.resolve("it.pw"), "a long enough password\n");
    Files.writeString(dir.resolve("hub.crt"), "-----BEGIN CERTIFICATE-----\n");
    Files.writeString(dir.resolve("hub.key"), "-----BEGIN PRIVATE KEY-----\n");
    Files.writeString(dir.resolve("open.yaml"), HUB_HEAD + "  bind: 0.0.0.0\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("open.yaml"), String::new))
        .hasMessage(
            dir.resolve("open.yaml")
                + ":5: hub.bind: '0.0.0.0' is not a loopback address: set hub.tls_cert_file"
                + " and hub.tls_key_file (HTTPS), or hub.allow_plain_http: true behind a TLS"
                + " reverse proxy");
    Files.writeString(
        dir.resolve("half.yaml"), HUB_HEAD + "  bind: 0.0.0.0\n  tls_cert_file: hub.crt\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("half.yaml"), String::new))
        .hasMessageContaining("hub.tls_key_file: is required when tls_cert_file is set (PEM file)");
    Files.writeString(
        dir.resolve("tls.yaml"),
        HUB_HEAD + "  bind: 0.0.0.0\n  tls_cert_file: hub.crt\n  tls_key_file: hub.key\n");
    HubConfig tls = HubConfigLoader.load(dir.resolve("tls.yaml"), String::new);
    assertThat(tls.tlsCertFile()).isEqualTo(dir.resolve("hub.crt"));
    assertThat(tls.tlsKeyFile()).isEqualTo(dir.resolve("hub.key"));
    Files.writeString(
        dir.resolve("proxy.yaml"), HUB_HEAD + "  bind: 0.0.0.0\n  allow_plain_http: true\n");
    assertThat(HubConfigLoader.load(dir.resolve("proxy.yaml"), String::new).tls()).isFalse();
  }

  @Test
  void theHubsMetricsArePublicByDefaultOnlyOnALoopbackBindAndSayingSoOverridesTheDefault()
      throws Exception {
    Files.writeString(dir.resolve("it.pw"), "a long enough password\n");
    java.util.Map<String, Boolean> expected = new java.util.LinkedHashMap<>();
    expected.put("", true);
    expected.put("  bind: '::1'\n", true);
    expected.put("  bind: 127.0.0.2\n  metrics_public:\n", true);
    expected.put("  bind: 10.20.0.5\n  allow_plain_http: true\n", false);
    expected.put("  bind: 0.0.0.0\n  allow_plain_http: true\n  metrics_public:\n", false);
    expected.put("  bind: '::'\n  allow_plain_http: true\n", false);
    expected.put("  bind: 10.20.0.5\n  allow_plain_http: true\n  metrics_public: true\n", true);
    expected.put("  metrics_public: false\n", false);
    for (var e : expected.entrySet()) {
      Files.writeString(dir.resolve("m.yaml"), HUB_HEAD + e.getKey());
      assertThat(HubConfigLoader.load(dir.resolve("m.yaml"), String::new).metricsPublic())
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
  }

  @Test
  void aHubMetricsPublicThatIsNotTrueOrFalseIsRefusedNamingTheKeyAndValue() throws Exception {
    Files.writeString(dir.resolve("it.pw"), "a long enough password\n");
    Files.writeString(dir.resolve("maybe.yaml"), HUB_HEAD + "  metrics_public: maybe\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("maybe.yaml"), String::new))
        .hasMessage(
            dir.resolve("maybe.yaml") + ":5: hub.metrics_public: 'maybe' is not true or false");
  }

  @Test
  void theHubsSchoolsAreSiteIdsNamedOnceAndACoordinatorsSchoolMustBeOneOfThem() throws Exception {
    Files.writeString(dir.resolve("it.pw"), "a long enough password\n");
    String head =
        "hub:\n  kafka: {bootstrap_servers: [k:9092]}\n  accounts:\n"
            + "    - {username: it, role: district_it, password_file: it.pw}\n"
            + "    - {username: c, role: school_coordinator, school: adams-es, password_file: it.pw}\n";
    Files.writeString(dir.resolve("ok.yaml"), head + "  schools: [adams-es, baker-ms]\n");
    assertThat(HubConfigLoader.load(dir.resolve("ok.yaml"), String::new).schools())
        .containsExactly("adams-es", "baker-ms");
    Files.writeString(dir.resolve("upper.yaml"), head + "  schools: [adams-es, Baker]\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("upper.yaml"), String::new))
        .hasMessageContaining("hub.schools: 'Baker' is not a site id");
    Files.writeString(dir.resolve("twice.yaml"), head + "  schools: [adams-es, adams-es]\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("twice.yaml"), String::new))
        .hasMessageContaining("hub.schools: 'adams-es' is named twice");
    Files.writeString(dir.resolve("other.yaml"), head + "  schools: [baker-ms]\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("other.yaml"), String::new))
        .hasMessageContaining(
            "hub.accounts[1].school: 'adams-es' is not one of hub.schools [baker-ms]");
  }

  @Test
  void aHubCoordinatorMustNameTheirSchoolAndAShortPasswordIsRefused() throws Exception {
    Files.writeString(dir.resolve("it.pw"), "a long enough password\n");
    Files.writeString(dir.resolve("short.pw"), "short\n");
    String head =
        "hub:\n  kafka: {bootstrap_servers: [k:9092]}\n  accounts:\n"
            + "    - {username: it, role: district_it, password_file: it.pw}\n";
    Files.writeString(
        dir.resolve("a.yaml"),
        head + "    - {username: c, role: school_coordinator, password_file: it.pw}\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("a.yaml"), String::new))
        .hasMessageContaining("hub.accounts[1].school: 'null' is not a site id");
    Files.writeString(dir.resolve("b.yaml"), head.replace("it.pw}", "short.pw}"));
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("b.yaml"), String::new))
        .hasMessageContaining(
            "hub.accounts[0].password_file: 'short.pw' holds a password shorter than 12 characters");
    Files.writeString(dir.resolve("c.yaml"), head + "  site_id: x\n");
    assertThatThrownBy(() -> HubConfigLoader.load(dir.resolve("c.yaml"), String::new))
        .hasMessageContaining("hub.site_id: unknown key");
  }
}
