package org.bellwatch.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
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

    assertThat(c.site()).isEqualTo(new BellwatchConfig.Site("Bellwatch site", ZoneId.of("America/Los_Angeles")));
    assertThat(c.schedule().dir()).isNull();
    assertThat(c.schedule().roomHostnamePattern().pattern()).isEqualTo(ConfigLoader.DEFAULT_ROOM_PATTERN);
    assertThat(c.capture()).isEqualTo(new BellwatchConfig.Capture(List.of(), List.of(), 65535, 16 << 20, true, 65536));
    assertThat(c.logs()).isEqualTo(new BellwatchConfig.Logs(List.of()));
    assertThat(c.dns()).isEqualTo(new BellwatchConfig.Dns(List.of(InetAddress.getByName("0.0.0.0"),
        InetAddress.getByName("::"))));
    assertThat(c.correlate()).isEqualTo(new BellwatchConfig.Correlate(Duration.ofSeconds(10)));
    assertThat(c.store()).isEqualTo(new BellwatchConfig.Store(Path.of("/var/lib/bellwatch"), false));
    assertThat(c.web()).isEqualTo(new BellwatchConfig.Web(InetAddress.getByName("127.0.0.1"), 8080));
  }

  @Test
  void relativePathsResolveAgainstTheConfigFilesFolder() throws Exception {
    BellwatchConfig c = parse("""
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
    assertThat(c.capture().pcapFiles()).containsExactly(Path.of("/etc/bellwatch/capture/site.pcap"));
    assertThat(c.logs().files()).containsExactly(
        new BellwatchConfig.LogFile("squid", Path.of("/etc/bellwatch/logs/access.log"), ZoneId.of("UTC")),
        new BellwatchConfig.LogFile("squid", Path.of("/etc/bellwatch/logs/fortigate.log"),
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
        .hasMessage("bellwatch.yaml:2: site.timezone: 'Mars/Olympus' is not an IANA time zone such as America/Chicago");
    assertThatThrownBy(() -> parse("correlate:\n  merge_window_secs: ten\n"))
        .hasMessage("bellwatch.yaml:2: correlate.merge_window_secs: 'ten' is not a whole number");
    assertThatThrownBy(() -> parse("web:\n  port: 70000\n"))
        .hasMessage("bellwatch.yaml:2: web.port: 70000 is out of range [0, 65535]");
    assertThatThrownBy(() -> parse("dns:\n  sinkhole_addresses: [0.0.0.0, 10.0.0.300]\n"))
        .hasMessage("bellwatch.yaml:2: dns.sinkhole_addresses: '10.0.0.300' is not an IP address");
  }

  @Test
  void anUnknownVendorInALogListIsRefusedWithItsIndex() {
    assertThatThrownBy(() -> parse("logs:\n  files:\n    - vendor: bluecoat\n      path: x.log\n"))
        .hasMessage("bellwatch.yaml:3: logs.files[0].vendor: 'bluecoat' is not a known vendor (one of " + org.bellwatch.agent.parse.Vendor.ids() + ")");
  }

  @Test
  void aDuplicateKeyIsRefusedRatherThanSilentlyTakingTheLastOne() {
    assertThatThrownBy(() -> parse("site:\n  timezone: UTC\n  timezone: America/Chicago\n"))
        .hasMessage("bellwatch.yaml:3: duplicate key 'timezone'");
  }

  @Test
  void theConsoleRefusesToListenBeyondLoopbackWhileItHasNoLogin() {
    assertThatThrownBy(() -> parse("web:\n  bind: 0.0.0.0\n"))
        .hasMessageStartingWith("bellwatch.yaml:2: web.bind: '0.0.0.0' is not a loopback address");
  }

  @Test
  void aRoomPatternWithoutTheRoomGroupIsRefused() {
    assertThatThrownBy(() -> parse("schedule:\n  room_hostname_pattern: '^([A-Z]+)-'\n"))
        .hasMessage("bellwatch.yaml:2: schedule.room_hostname_pattern: '^([A-Z]+)-' has no named group (?<room>...)");
  }

  @Test
  void brokenYamlIsOneLineWithTheLine() {
    assertThatThrownBy(() -> parse("site:\n  timezone: [UTC\n"))
        .hasMessageStartingWith("bellwatch.yaml:").hasMessageContaining("not valid YAML");
  }

  @Test
  void aMissingFileSaysSo(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
        .hasMessage(dir.resolve("nope.yaml") + ": configuration file not found");
  }

  @Test
  void theReferenceConfigurationParsesAndDocumentsEveryKeyWithItsDefault() throws Exception {
    Path reference = Path.of(System.getProperty("bellwatch.repo", ".."), "config", "bellwatch.reference.yaml");
    BellwatchConfig fromReference = ConfigLoader.load(reference);
    BellwatchConfig defaults = ConfigLoader.parse("", "empty", reference.toAbsolutePath().getParent());

    // The reference file spells out every default, so loading it must give exactly the defaults.
    assertThat(fromReference).usingRecursiveComparison()
        .withComparatorForType((a, b) -> a.pattern().compareTo(b.pattern()), java.util.regex.Pattern.class)
        .isEqualTo(defaults);
    String text = Files.readString(reference);
    for (String key : List.of("name", "timezone", "dir", "room_hostname_pattern", "interfaces", "pcap_files",
        "snaplen_bytes", "buffer_bytes", "promiscuous", "queue_capacity", "files", "sinkhole_addresses",
        "merge_window_secs", "sync_writes", "vendor", "path", "bind", "port")) {
      assertThat(text).as("reference documents %s", key).containsPattern("(?m)^\\s*#?\\s*" + key + ":");
    }
  }
}
