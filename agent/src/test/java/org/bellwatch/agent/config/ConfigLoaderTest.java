package org.bellwatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.bellwatch.agent.net.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Path BASE = Path.of("/etc/bellwatch");

  private static BellwatchConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "bellwatch.yaml", BASE);
  }

  @Test
  void aFileWithOnlyTheTimezoneIsValidAndEverythingElseTakesItsDefault() throws Exception {
    BellwatchConfig c = parse("site: {timezone: America/Los_Angeles}\n");

    assertThat(c.site())
        .isEqualTo(new BellwatchConfig.Site("Bellwatch site", ZoneId.of("America/Los_Angeles")));
    assertThat(c.schedule().dir()).isNull();
    assertThat(c.schedule().roomHostnamePattern().pattern())
        .isEqualTo(ConfigLoader.DEFAULT_ROOM_PATTERN);
    assertThat(c.capture())
        .isEqualTo(
            new BellwatchConfig.Capture(List.of(), List.of(), 65535, 16 << 20, true, 65536, false));
    assertThat(c.logs()).isEqualTo(new BellwatchConfig.Logs(List.of()));
    assertThat(c.syslog()).isEqualTo(new BellwatchConfig.Syslog(List.of()));
    assertThat(c.dns())
        .isEqualTo(
            new BellwatchConfig.Dns(
                List.of(InetAddress.getByName("0.0.0.0"), InetAddress.getByName("::"))));
    assertThat(c.correlate())
        .isEqualTo(new BellwatchConfig.Correlate(Duration.ofSeconds(10), Duration.ofSeconds(30)));
    assertThat(c.store())
        .isEqualTo(new BellwatchConfig.Store(Path.of("/var/lib/bellwatch"), false));
    assertThat(c.retention()).isEqualTo(new BellwatchConfig.Retention(90, 400, 0));
    assertThat(c.web())
        .isEqualTo(new BellwatchConfig.Web(InetAddress.getByName("127.0.0.1"), 8080));
  }

  @Test
  void relativePathsResolveAgainstTheConfigFilesFolder() throws Exception {
    BellwatchConfig c =
        parse(
            """
        schedule:
          dir: schedule
        capture:
          pcap_files: [capture/site.pcap]
        logs:
          files:
            - vendor: squid
              path: logs/access.log
            - vendor: squid
              path: logs/fortigate.log
              timezone: America/Chicago
        store:
          dir: ../state
        """);

    assertThat(c.schedule().dir()).isEqualTo(Path.of("/etc/bellwatch/schedule"));
    assertThat(c.capture().pcapFiles())
        .containsExactly(Path.of("/etc/bellwatch/capture/site.pcap"));
    assertThat(c.logs().files())
        .containsExactly(
            new BellwatchConfig.LogFile(
                "squid", Path.of("/etc/bellwatch/logs/access.log"), ZoneId.of("UTC")),
            new BellwatchConfig.LogFile(
                "squid",
                Path.of("/etc/bellwatch/logs/fortigate.log"),
                ZoneId.of("America/Chicago")));
    assertThat(c.store().dir()).isEqualTo(Path.of("/etc/state"));
  }

  @Test
  void anUnknownKeyIsRefusedWithItsFullNameAndLine() {
    assertThatThrownBy(() -> parse("site:\n  timezone: UTC\n  time_zone: UTC\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("bellwatch.yaml:3: site.time_zone: unknown key");
  }

  @Test
  void anUnknownTopLevelSectionIsRefused() {
    assertThatThrownBy(() -> parse("site: {timezone: UTC}\nweb_server:\n  port: 80\n"))
        .hasMessage("bellwatch.yaml:2: web_server: unknown key");
  }

  @Test
  void aBadValueNamesTheKeyTheLineAndTheValue() {
    assertThatThrownBy(() -> parse("site:\n  timezone: Mars/Olympus\n"))
        .hasMessage(
            "bellwatch.yaml:2: site.timezone: 'Mars/Olympus' is not an IANA time zone such as America/Chicago");
    assertThatThrownBy(() -> parse("correlate:\n  merge_window_secs: ten\n"))
        .hasMessage("bellwatch.yaml:2: correlate.merge_window_secs: 'ten' is not a whole number");
    assertThatThrownBy(() -> parse("web:\n  port: 70000\n"))
        .hasMessage("bellwatch.yaml:2: web.port: 70000 is out of range [0, 65535]");
    assertThatThrownBy(() -> parse("dns:\n  sinkhole_addresses: [0.0.0.0, 10.0.0.300]\n"))
        .hasMessage("bellwatch.yaml:2: dns.sinkhole_addresses: '10.0.0.300' is not an IP address");
    assertThatThrownBy(() -> parse("dns:\n  local_domains: [school.lan, 'school lan']\n"))
        .hasMessage("bellwatch.yaml:2: dns.local_domains: 'school lan' is not a domain name");
    assertThatThrownBy(() -> parse("correlate:\n  late_evidence_secs: -1\n"))
        .hasMessage(
            "bellwatch.yaml:2: correlate.late_evidence_secs: -1 is out of range [0, 604800]");
  }

  @Test
  void aReorderWindowShorterThanTheMergeWindowIsRefused() {
    assertThatThrownBy(
            () -> parse("correlate:\n  merge_window_secs: 20\n  reorder_window_secs: 5\n"))
        .hasMessage(
            "bellwatch.yaml:3: correlate.reorder_window_secs: 5 is shorter than merge_window_secs (20)");
  }

  @Test
  void anUnknownVendorInALogListIsRefusedWithItsIndex() {
    assertThatThrownBy(() -> parse("logs:\n  files:\n    - vendor: bluecoat\n      path: x.log\n"))
        .hasMessage(
            "bellwatch.yaml:3: logs.files[0].vendor: 'bluecoat' is not a known vendor (one of "
                + org.bellwatch.agent.parse.vendors.Vendor.ids()
                + ")");
  }

  @Test
  void aLogPathMayBeAGlobInItsFileNameAndThePollIntervalIsInMilliseconds() throws Exception {
    BellwatchConfig c =
        parse(
            "logs:\n  poll_interval_ms: 250\n  files:\n    - {vendor: squid, path: 'squid/access.log*'}\n");

    assertThat(c.logs())
        .isEqualTo(
            new BellwatchConfig.Logs(
                List.of(
                    new BellwatchConfig.LogFile(
                        "squid", BASE.resolve("squid/access.log*"), ZoneId.of("UTC"))),
                Duration.ofMillis(250)));
  }

  @Test
  void aGlobInAFolderNameIsRefused() {
    assertThatThrownBy(
            () -> parse("logs:\n  files:\n    - {vendor: squid, path: '/var/log/*/access.log'}\n"))
        .hasMessage(
            "bellwatch.yaml:3: logs.files[0].path: '/var/log/*/access.log' has a glob in a folder name;"
                + " only the file name may be a glob");
  }

  @Test
  void aDuplicateKeyIsRefusedRatherThanSilentlyTakingTheLastOne() {
    assertThatThrownBy(() -> parse("site:\n  timezone: UTC\n  timezone: America/Chicago\n"))
        .hasMessage("bellwatch.yaml:3: duplicate key 'timezone'");
  }

  @Test
  void theConsoleRefusesPlainHttpBeyondLoopbackByDefault() {
    assertThatThrownBy(() -> parse("web:\n  bind: 0.0.0.0\n"))
        .hasMessageStartingWith("bellwatch.yaml:2: web.bind: '0.0.0.0' is not a loopback address");
  }

  @Test
  void aRoomPatternWithoutTheRoomGroupIsRefused() {
    assertThatThrownBy(() -> parse("schedule:\n  room_hostname_pattern: '^([A-Z]+)-'\n"))
        .hasMessage(
            "bellwatch.yaml:2: schedule.room_hostname_pattern: '^([A-Z]+)-' has no named group (?<room>...)");
  }

  @Test
  void brokenYamlIsOneLineWithTheLine() {
    assertThatThrownBy(() -> parse("site:\n  timezone: [UTC\n"))
        .hasMessageStartingWith("bellwatch.yaml:")
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void aMissingFileSaysSo(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
        .hasMessage(dir.resolve("nope.yaml") + ": configuration file not found");
  }

  @Test
  void theReferenceConfigurationParsesAndDocumentsEveryKeyWithItsDefault() throws Exception {
    Path reference =
        Path.of(System.getProperty("bellwatch.repo", ".."), "config", "bellwatch.reference.yaml");
    BellwatchConfig fromReference = ConfigLoader.load(reference);
    BellwatchConfig defaults =
        ConfigLoader.parse("", "empty", reference.toAbsolutePath().getParent());

    // The reference file spells out every default, so loading it must give exactly the defaults.
    assertThat(fromReference)
        .usingRecursiveComparison()
        .withComparatorForType(
            (a, b) -> a.pattern().compareTo(b.pattern()), java.util.regex.Pattern.class)
        .isEqualTo(defaults);
    String text = Files.readString(reference);
    for (String key :
        List.of(
            "name",
            "timezone",
            "dir",
            "room_hostname_pattern",
            "interfaces",
            "pcap_files",
            "snaplen_bytes",
            "buffer_bytes",
            "promiscuous",
            "queue_capacity",
            "files",
            "sinkhole_addresses",
            "merge_window_secs",
            "reorder_window_secs",
            "late_evidence_secs",
            "nxdomain_is_block",
            "local_domains",
            "sync_writes",
            "events_days",
            "rollups_days",
            "enabled",
            "fsync",
            "fsync_interval_ms",
            "segment_bytes",
            "max_bytes",
            "disk_budget_bytes",
            "bind",
            "port",
            "listeners",
            "name",
            "protocol",
            "vendor",
            "path",
            "allow",
            "max_frame_bytes",
            "receive_buffer_bytes",
            "sockets",
            "max_connections",
            "idle_timeout_secs",
            "frame_timeout_secs",
            "tls_cert_file",
            "tls_key_file",
            "allow_plain_http",
            "metrics_public",
            "pbkdf2_iterations",
            "session_idle_secs",
            "session_absolute_secs",
            "login_max_failures",
            "login_backoff_secs",
            "login_backoff_max_secs",
            "pseudonymize",
            "usernames_visible_to",
            "generic",
            "format",
            "default_role",
            "admin_groups",
            "coordinator_groups",
            "teacher_groups",
            "viewer_groups",
            "pattern",
            "fields",
            "time_format",
            "actions",
            "default_action",
            "block_method",
            "block_page_hosts",
            "redirects_are_blocks",
            "proxy_addresses",
            "proxy_lookup_window_secs",
            "smtp_host",
            "smtp_port",
            "security",
            "username",
            "password_file",
            "from",
            "it_to",
            "teachers",
            "console_url",
            "digest_to",
            "digest_day",
            "digest_time")) {
      assertThat(text)
          .as("reference documents %s", key)
          .containsPattern("(?m)^\\s*#?\\s*" + key + ":");
    }
  }

  @Test
  void theProxySettingsNormalizeBlockPageHostsAndDefaultToNoProxies() throws Exception {
    assertThat(parse("site: {timezone: UTC}\n").filter())
        .isEqualTo(BellwatchConfig.Filter.DEFAULTS);
    BellwatchConfig c =
        parse(
            "filter:\n  block_page_hosts: [Block.School.Example., '10.0.0.80', '::1']\n"
                + "  redirects_are_blocks: true\n  proxy_addresses: [10.0.0.8, 10.0.8.0/29]\n  proxy_lookup_window_secs: 300\n");
    assertThat(c.filter())
        .isEqualTo(
            new BellwatchConfig.Filter(
                List.of("block.school.example", "10.0.0.80", "0:0:0:0:0:0:0:1"),
                true,
                List.of(Cidr.parse("10.0.0.8"), Cidr.parse("10.0.8.0/29")),
                Duration.ofSeconds(300)));
  }

  @Test
  void badProxySettingsFailNamingTheKeyAndValue() {
    assertThatThrownBy(() -> parse("filter:\n  block_page_hosts: ['http://block.example/']\n"))
        .hasMessage(
            "bellwatch.yaml:2: filter.block_page_hosts: 'http://block.example/' is not a host name or IP address");
    assertThatThrownBy(() -> parse("filter:\n  proxy_addresses: [proxy.school.example]\n"))
        .hasMessage(
            "bellwatch.yaml:2: filter.proxy_addresses: 'proxy.school.example' is not an address or CIDR block such as 10.0.0.8/32");
    assertThatThrownBy(() -> parse("filter:\n  proxy_lookup_window_secs: 0\n"))
        .hasMessage(
            "bellwatch.yaml:2: filter.proxy_lookup_window_secs: 0 is out of range [1, 86400]");
    assertThatThrownBy(() -> parse("filter:\n  redirects_are_blocks: sometimes\n"))
        .hasMessageStartingWith("bellwatch.yaml:2: filter.redirects_are_blocks: 'sometimes'");
  }

  @Test
  void consoleAccountsAndPrivacyDefaultToOwaspCostAndAdminOnlyUsernames() throws Exception {
    BellwatchConfig c = parse("site: {timezone: UTC}\n");
    assertThat(c.auth())
        .isEqualTo(
            new Auth(
                600_000,
                Duration.ofMinutes(30),
                Duration.ofHours(12),
                5,
                Duration.ofSeconds(2),
                Duration.ofMinutes(15),
                Duration.ofHours(24),
                null));
    assertThat(c.privacy()).isEqualTo(new BellwatchConfig.Privacy(false, List.of("admin")));
    assertThat(c.web())
        .isEqualTo(
            new BellwatchConfig.Web(
                InetAddress.getByName("127.0.0.1"),
                8080,
                null,
                null,
                false,
                true,
                Duration.ofSeconds(30),
                8192));
  }

  @Test
  void theConsolesIdleTimeoutAndRequestHeaderLimitAreReadAndBoundedNamingTheKey() throws Exception {
    assertThat(parse("web: {idle_timeout_secs: 5, max_request_header_bytes: 4096}\n").web())
        .isEqualTo(
            new BellwatchConfig.Web(
                InetAddress.getByName("127.0.0.1"),
                8080,
                null,
                null,
                false,
                true,
                Duration.ofSeconds(5),
                4096));
    assertThatThrownBy(() -> parse("web: {idle_timeout_secs: 0}\n"))
        .hasMessage("bellwatch.yaml:1: web.idle_timeout_secs: 0 is out of range [1, 3600]");
    assertThatThrownBy(() -> parse("web: {max_request_header_bytes: 100}\n"))
        .hasMessage(
            "bellwatch.yaml:1: web.max_request_header_bytes: 100 is out of range [1024, 1048576]");
  }

  @Test
  void theConsolesAllowedHostsAreNamesOrAddressesInLowerCaseAndABadOneNamesTheKey()
      throws Exception {
    assertThat(
            parse(
                    "web:\n  allowed_hosts: [Bellwatch.School.Example., \"*.district.example\", 10.0.0.5, \"[::1]\"]\n")
                .web()
                .allowedHosts())
        .containsExactly("bellwatch.school.example", "*.district.example", "10.0.0.5", "::1");
    assertThatThrownBy(
            () -> parse("web:\n  allowed_hosts: [bellwatch.school.example, \"evil.example/x\"]\n"))
        .hasMessage(
            "bellwatch.yaml:2: web.allowed_hosts: 'evil.example/x' is not a host name (such as"
                + " bellwatch.school.example or *.school.example) or an IP address");
    assertThatThrownBy(() -> parse("web: {allowed_hosts: \"a.*.example\"}\n"))
        .hasMessage("bellwatch.yaml:1: web.allowed_hosts: must be a list");
  }

  @Test
  void aNonLoopbackBindNeedsTlsOrAnExplicitPlainHttpAndThenHidesMetrics(@TempDir Path dir)
      throws Exception {
    assertThatThrownBy(() -> ConfigLoader.parse("web: {bind: 0.0.0.0}\n", "c.yaml", dir))
        .hasMessage(
            "c.yaml:1: web.bind: '0.0.0.0' is not a loopback address: set web.tls_cert_file and"
                + " web.tls_key_file (HTTPS), or web.allow_plain_http: true behind a TLS reverse proxy");
    assertThat(
            ConfigLoader.parse("web: {bind: 0.0.0.0, allow_plain_http: true}\n", "c.yaml", dir)
                .web())
        .isEqualTo(
            new BellwatchConfig.Web(
                InetAddress.getByName("0.0.0.0"), 8080, null, null, true, false));
    Files.writeString(dir.resolve("c.crt"), "x");
    Files.writeString(dir.resolve("c.key"), "x");
    assertThat(
            ConfigLoader.parse(
                    "web: {bind: 10.0.0.5, tls_cert_file: c.crt, tls_key_file: c.key, metrics_public: true}\n",
                    "c.yaml",
                    dir)
                .web())
        .isEqualTo(
            new BellwatchConfig.Web(
                InetAddress.getByName("10.0.0.5"),
                8080,
                dir.resolve("c.crt"),
                dir.resolve("c.key"),
                false,
                true));
    assertThatThrownBy(() -> ConfigLoader.parse("web: {tls_cert_file: c.crt}\n", "c.yaml", dir))
        .hasMessage("c.yaml:1: web.tls_key_file: is required when tls_cert_file is set (PEM file)");
  }

  @Test
  void singleSignOnNeedsAnHttpsIssuerTheConsolesCallbackAReadableSecretAndAKnownRole(
      @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("secret"), "s");
    String ok =
        "auth:\n  oidc:\n    issuer: https://login.microsoftonline.com/tenant/v2.0\n    client_id: app\n"
            + "    client_secret_file: secret\n    redirect_url: https://bw.school.example:8080/api/v1/auth/oidc/callback\n"
            + "    allowed_email_domains: [School.Example]\n    admin_groups: [g-it]\n";
    assertThat(ConfigLoader.parse(ok, "c.yaml", dir).auth().oidc())
        .isEqualTo(
            new Oidc(
                java.net.URI.create("https://login.microsoftonline.com/tenant/v2.0"),
                "app",
                dir.resolve("secret"),
                java.net.URI.create("https://bw.school.example:8080/api/v1/auth/oidc/callback"),
                List.of("school.example"),
                "none",
                "groups",
                List.of("g-it"),
                List.of(),
                List.of(),
                List.of(),
                "Sign in with your school account"));
    Oidc teachers =
        ConfigLoader.parse(
                ok + "    default_role: teacher\n    teacher_groups: [g-staff]\n", "c.yaml", dir)
            .auth()
            .oidc();
    assertThat(List.of(teachers.defaultRole(), teachers.teacherGroups()))
        .containsExactly("teacher", List.of("g-staff"));
    assertThatThrownBy(
            () -> ConfigLoader.parse(ok.replace("https://login", "http://login"), "c.yaml", dir))
        .hasMessage(
            "c.yaml:3: auth.oidc.issuer: 'http://login.microsoftonline.com/tenant/v2.0' is not an https URL"
                + " (http only on localhost), without query or fragment");
    assertThatThrownBy(
            () -> ConfigLoader.parse(ok.replace("oidc/callback", "callback"), "c.yaml", dir))
        .hasMessage(
            "c.yaml:6: auth.oidc.redirect_url: 'https://bw.school.example:8080/api/v1/auth/callback' must end"
                + " in /api/v1/auth/oidc/callback");
    assertThatThrownBy(
            () -> ConfigLoader.parse(ok.replace("file: secret", "file: missing"), "c.yaml", dir))
        .hasMessage(
            "c.yaml:5: auth.oidc.client_secret_file: '"
                + dir.resolve("missing")
                + "' is not a readable file");
    assertThatThrownBy(
            () -> ConfigLoader.parse(ok + "    default_role: principal\n", "c.yaml", dir))
        .hasMessage(
            "c.yaml:9: auth.oidc.default_role: 'principal' is not none or a role (one of [viewer, coordinator,"
                + " admin, teacher])");
  }

  @Test
  void privacyRolesAndSessionLimitsAreChecked(@TempDir Path dir) throws Exception {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "privacy: {usernames_visible_to: [admin, teachers]}\n", "c.yaml", dir))
        .hasMessage(
            "c.yaml:1: privacy.usernames_visible_to: 'teachers' is not a role (one of [viewer, coordinator,"
                + " admin, teacher])");
    assertThat(
            ConfigLoader.parse("privacy: {usernames_visible_to: [admin, teacher]}\n", "c.yaml", dir)
                .privacy()
                .usernamesVisibleTo())
        .containsExactly("admin", "teacher");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "auth: {session_idle_secs: 7200, session_absolute_secs: 3600}\n",
                    "c.yaml",
                    dir))
        .hasMessage(
            "c.yaml:1: auth.session_absolute_secs: 3600 is shorter than session_idle_secs (7200)");
  }

  @Test
  void aSyslogListenerTakesItsDefaultsAndTheSiteZone() throws Exception {
    BellwatchConfig c =
        parse(
            """
        site: {timezone: America/Chicago}
        syslog:
          listeners:
            - {name: squid-udp, vendor: squid}
            - name: squid-tcp
              protocol: tcp
              bind: 127.0.0.1
              port: 1514
              vendor: squid
              allow: [10.0.0.5, 10.1.2.3/16, '2001:db8::/32']
              timezone: America/New_York
              max_frame_bytes: 8192
              receive_buffer_bytes: 0
              max_connections: 64
              idle_timeout_secs: 0
              frame_timeout_secs: 5
              sender_rate_per_sec: 0
              sender_burst: 10
              max_connections_per_sender: 4
        """);

    assertThat(c.syslog().listeners())
        .containsExactly(
            new SyslogListener(
                "squid-udp",
                "udp",
                InetAddress.getByName("0.0.0.0"),
                514,
                "squid",
                ConfigLoader.DEFAULT_SYSLOG_ALLOW.stream().map(Cidr::parse).toList(),
                ZoneId.of("America/Chicago"),
                65536,
                16 << 20,
                0,
                null,
                null),
            new SyslogListener(
                "squid-tcp",
                "tcp",
                InetAddress.getByName("127.0.0.1"),
                1514,
                "squid",
                List.of(
                    new Cidr(InetAddress.getByName("10.0.0.5"), 32),
                    new Cidr(InetAddress.getByName("10.1.0.0"), 16),
                    new Cidr(InetAddress.getByName("2001:db8::"), 32)),
                ZoneId.of("America/New_York"),
                8192,
                0,
                0,
                null,
                null,
                64,
                0,
                5,
                null,
                new PerSender(0, 10, 4)));
    assertThat(c.syslog().listeners().get(0))
        .extracting(
            SyslogListener::maxConnections,
            SyslogListener::idleTimeoutSecs,
            SyslogListener::frameTimeoutSecs,
            SyslogListener::perSender)
        .containsExactly(256, 900, 30, new PerSender(50_000, 50_000, 32));
  }

  @Test
  void aTlsListenerResolvesItsPemFilesAndRequiresThem(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("s.crt"), "x");
    Files.writeString(dir.resolve("s.key"), "x");
    BellwatchConfig c =
        ConfigLoader.parse(
            """
        syslog:
          listeners:
            - {name: t, protocol: tls, vendor: squid, tls_cert_file: s.crt, tls_key_file: s.key}
        """,
            "bellwatch.yaml",
            dir);
    assertThat(c.syslog().listeners().get(0).port()).isEqualTo(6514);
    assertThat(c.syslog().listeners().get(0).tlsCertFile()).isEqualTo(dir.resolve("s.crt"));
    assertThat(c.syslog().listeners().get(0).tlsKeyFile()).isEqualTo(dir.resolve("s.key"));

    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "syslog:\n  listeners:\n    - name: t\n      protocol: tls\n"
                        + "      vendor: squid\n      tls_key_file: s.key\n",
                    "bellwatch.yaml",
                    dir))
        .hasMessage(
            "bellwatch.yaml:3: syslog.listeners[0].tls_cert_file: is required for a tls listener (PEM file)");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "syslog:\n  listeners:\n    - name: t\n      protocol: tls\n"
                        + "      vendor: squid\n      tls_cert_file: nope.crt\n      tls_key_file: s.key\n",
                    "bellwatch.yaml",
                    dir))
        .hasMessage(
            "bellwatch.yaml:6: syslog.listeners[0].tls_cert_file: '"
                + dir.resolve("nope.crt")
                + "' is not a readable file");
  }

  @Test
  void theIntakeJournalDefaultsToTheStoreFolderAndBadValuesNameTheKeyAndValue()
      throws ConfigException {
    BellwatchConfig d = parse("store: {dir: /var/lib/bw}\n");
    assertThat(d.store().journal()).isEqualTo(BellwatchConfig.Journal.DEFAULTS);
    assertThat(d.store().journalDir()).isEqualTo(Path.of("/var/lib/bw/journal"));
    BellwatchConfig c =
        parse(
            "journal: {dir: /srv/j, fsync: batch, fsync_interval_ms: 200, segment_bytes: 1048576,"
                + " max_bytes: 4194304}\n");
    assertThat(c.store().journal())
        .isEqualTo(
            new BellwatchConfig.Journal(
                true,
                Path.of("/srv/j"),
                org.bellwatch.agent.journal.Journal.Fsync.BATCH,
                java.time.Duration.ofMillis(200),
                4194304,
                1048576));
    assertThat(c.store().journalDir()).isEqualTo(Path.of("/srv/j"));
    assertThatThrownBy(() -> parse("journal:\n  fsync: sometimes\n"))
        .hasMessage(
            "bellwatch.yaml:2: journal.fsync: 'sometimes' is not one of batch, interval, never");
    assertThatThrownBy(() -> parse("journal:\n  fsync_interval_ms: 0\n"))
        .hasMessage("bellwatch.yaml:2: journal.fsync_interval_ms: 0 is out of range [10, 60000]");
    assertThatThrownBy(() -> parse("journal:\n  segment_bytes: 1048576\n  max_bytes: 1048576\n"))
        .hasMessage(
            "bellwatch.yaml:3: journal.max_bytes: 1048576 is less than two segments (segment_bytes 1048576)");
    assertThatThrownBy(() -> parse("journal:\n  enabled: yes\n"))
        .hasMessage("bellwatch.yaml:2: journal.enabled: 'yes' is not true or false");
    assertThatThrownBy(() -> parse("journal:\n  sync: batch\n"))
        .hasMessageContaining("journal.sync");
  }

  @Test
  void badSyslogListenerValuesNameTheKeyAndLine() {
    String head = "syslog:\n  listeners:\n    - name: a\n      vendor: squid\n";
    assertThatThrownBy(() -> parse(head + "      allow: [10.0.0.0/33]\n"))
        .hasMessage(
            "bellwatch.yaml:5: syslog.listeners[0].allow: '10.0.0.0/33' is not an address or CIDR block"
                + " such as 10.0.0.0/8");
    assertThatThrownBy(() -> parse(head + "      protocol: relp\n"))
        .hasMessage(
            "bellwatch.yaml:5: syslog.listeners[0].protocol: 'relp' is not udp, tcp or tls");
    assertThatThrownBy(() -> parse(head + "      port: 65536\n"))
        .hasMessage("bellwatch.yaml:5: syslog.listeners[0].port: 65536 is out of range [0, 65535]");
    assertThatThrownBy(() -> parse(head + "      port: syslog\n"))
        .hasMessage("bellwatch.yaml:5: syslog.listeners[0].port: 'syslog' is not a whole number");
    assertThatThrownBy(() -> parse(head + "      tls_cert_file: a.crt\n"))
        .hasMessage(
            "bellwatch.yaml:5: syslog.listeners[0].tls_cert_file: only applies to tls listeners");
    assertThatThrownBy(() -> parse(head + "      max_connections: 10\n"))
        .hasMessage(
            "bellwatch.yaml:5: syslog.listeners[0].max_connections: only applies to tcp and tls listeners");
    assertThatThrownBy(() -> parse(head + "      protocol: tcp\n      max_connections: 0\n"))
        .hasMessage(
            "bellwatch.yaml:6: syslog.listeners[0].max_connections: 0 is out of range [1, 65536]");
    assertThatThrownBy(() -> parse(head + "      idle_timeout_secs: 60\n"))
        .hasMessage(
            "bellwatch.yaml:5: syslog.listeners[0].idle_timeout_secs: only applies to tcp and tls listeners");
    assertThatThrownBy(() -> parse(head + "      frame_timeout_secs: 10\n"))
        .hasMessage(
            "bellwatch.yaml:5: syslog.listeners[0].frame_timeout_secs: only applies to tcp and tls listeners");
    assertThatThrownBy(() -> parse(head + "      protocol: tcp\n      frame_timeout_secs: 0\n"))
        .hasMessage(
            "bellwatch.yaml:6: syslog.listeners[0].frame_timeout_secs: 0 is out of range [1, 3600]");
    assertThatThrownBy(() -> parse(head + "      max_connections_per_sender: 4\n"))
        .hasMessage(
            "bellwatch.yaml:5: syslog.listeners[0].max_connections_per_sender: only applies to tcp and tls"
                + " listeners");
    assertThatThrownBy(() -> parse(head + "      sender_rate_per_sec: -1\n"))
        .hasMessage(
            "bellwatch.yaml:5: syslog.listeners[0].sender_rate_per_sec: -1 is out of range [0, 10000000]");
    assertThatThrownBy(() -> parse(head + "      sender_burst: 0\n"))
        .hasMessage(
            "bellwatch.yaml:5: syslog.listeners[0].sender_burst: 0 is out of range [1, 10000000]");
    assertThatThrownBy(() -> parse(head + "      colour: blue\n"))
        .hasMessage("bellwatch.yaml:5: syslog.listeners[0].colour: unknown key");
    assertThatThrownBy(() -> parse(head + "    - name: a\n      vendor: squid\n"))
        .hasMessage("bellwatch.yaml:5: syslog.listeners[1].name: 'a' is used by another listener");
    assertThatThrownBy(() -> parse("syslog:\n  listeners:\n    - name: a\n"))
        .hasMessage(
            "bellwatch.yaml:3: syslog.listeners[0].vendor: is required (one of "
                + org.bellwatch.agent.parse.vendors.Vendor.ids()
                + ")");
  }
}
