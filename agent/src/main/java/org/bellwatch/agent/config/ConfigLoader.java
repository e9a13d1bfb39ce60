package org.bellwatch.agent.config;

import java.io.IOException;
import java.net.InetAddress;
import org.bellwatch.agent.net.IpLiteral;
import org.bellwatch.agent.parse.Vendor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Loads and validates the YAML configuration into a {@link BellwatchConfig}. */
public final class ConfigLoader {
  public static final String DEFAULT_ROOM_PATTERN = "^(?<room>[A-Za-z]+\\d*)-";
  public static final List<String> DEFAULT_SINKHOLES = List.of("0.0.0.0", "::");
  private static final List<String> VENDORS = Vendor.ids();

  private ConfigLoader() {
  }

  public static BellwatchConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": configuration file not found");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read configuration file: " + e.getMessage());
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), base);
  }

  /** Parses configuration text; relative paths resolve against {@code base}. */
  public static BellwatchConfig parse(String text, String fileName, Path base) throws ConfigException {
    Section root = Section.of(fileName, "", YamlReader.read(text, fileName));
    BellwatchConfig.Site site = site(root.section("site"));
    BellwatchConfig config = new BellwatchConfig(site,
        schedule(root.section("schedule"), base), capture(root.section("capture"), base),
        logs(root.section("logs"), base, site.timezone()), dns(root.section("dns")), correlate(root.section("correlate")),
        store(root.section("store"), base), web(root.section("web")));
    root.finish();
    return config;
  }

  private static BellwatchConfig.Site site(Section s) throws ConfigException {
    String name = s.string("name", "Bellwatch site");
    ZoneId zone = s.parsed("timezone", ZoneId.of("UTC"), ConfigLoader::zone, "an IANA time zone such as America/Chicago");
    s.finish();
    return new BellwatchConfig.Site(name, zone);
  }

  private static ZoneId zone(String text) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static BellwatchConfig.Schedule schedule(Section s, Path base) throws ConfigException {
    String dir = s.string("dir", null);
    Pattern pattern = s.parsed("room_hostname_pattern", Pattern.compile(DEFAULT_ROOM_PATTERN), text -> {
      try {
        return Pattern.compile(text);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(e);
      }
    }, "a valid regular expression");
    if (!pattern.pattern().contains("(?<room>")) {
      throw s.error("room_hostname_pattern", "'" + pattern.pattern() + "' has no named group (?<room>...)");
    }
    s.finish();
    return new BellwatchConfig.Schedule(dir == null ? null : base.resolve(dir).normalize(), pattern);
  }

  private static BellwatchConfig.Capture capture(Section s, Path base) throws ConfigException {
    List<String> interfaces = s.strings("interfaces", List.of());
    List<Path> files = paths(s.strings("pcap_files", List.of()), base);
    int snaplen = (int) s.number("snaplen_bytes", 65535, 64, 262144);
    int buffer = (int) s.number("buffer_bytes", 16L << 20, 1L << 16, 1L << 30);
    boolean promiscuous = s.bool("promiscuous", true);
    int queue = (int) s.number("queue_capacity", 65536, 16, 1 << 24);
    s.finish();
    return new BellwatchConfig.Capture(interfaces, files, snaplen, buffer, promiscuous, queue);
  }

  private static BellwatchConfig.Logs logs(Section s, Path base, ZoneId siteZone) throws ConfigException {
    List<BellwatchConfig.LogFile> files = new ArrayList<>();
    for (Section f : s.sections("files")) {
      String vendor = f.string("vendor", null);
      String path = f.string("path", null);
      if (vendor == null) {
        throw f.error("vendor", "is required (one of " + VENDORS + ")");
      }
      if (!VENDORS.contains(vendor)) {
        throw f.error("vendor", "'" + vendor + "' is not a known vendor (one of " + VENDORS + ")");
      }
      if (path == null) {
        throw f.error("path", "is required");
      }
      ZoneId zone = f.parsed("timezone", siteZone, ConfigLoader::zone, "an IANA time zone such as America/Chicago");
      f.finish();
      files.add(new BellwatchConfig.LogFile(vendor, base.resolve(path).normalize(), zone));
    }
    s.finish();
    return new BellwatchConfig.Logs(List.copyOf(files));
  }

  private static BellwatchConfig.Dns dns(Section s) throws ConfigException {
    List<InetAddress> sinkholes = new ArrayList<>();
    for (String text : s.strings("sinkhole_addresses", DEFAULT_SINKHOLES)) {
      InetAddress a = IpLiteral.parse(text);
      if (a == null) {
        throw s.error("sinkhole_addresses", "'" + text + "' is not an IP address");
      }
      sinkholes.add(a);
    }
    s.finish();
    return new BellwatchConfig.Dns(List.copyOf(sinkholes));
  }

  private static BellwatchConfig.Correlate correlate(Section s) throws ConfigException {
    long window = s.number("merge_window_secs", 10, 0, 3600);
    s.finish();
    return new BellwatchConfig.Correlate(Duration.ofSeconds(window));
  }

  private static BellwatchConfig.Store store(Section s, Path base) throws ConfigException {
    String dir = s.string("dir", "/var/lib/bellwatch");
    boolean sync = s.bool("sync_writes", false);
    s.finish();
    return new BellwatchConfig.Store(base.resolve(dir).normalize(), sync);
  }

  private static BellwatchConfig.Web web(Section s) throws ConfigException {
    String bindText = s.string("bind", "127.0.0.1");
    InetAddress bind = IpLiteral.parse(bindText);
    if (bind == null) {
      throw s.error("bind", "'" + bindText + "' is not an IP address");
    }
    // Until console accounts exist, student browsing data must not be reachable from the network.
    if (!bind.isLoopbackAddress()) {
      throw s.error("bind", "'" + bindText + "' is not a loopback address; the console has no login yet,"
          + " so it only listens on loopback (127.0.0.1 or ::1)");
    }
    int port = (int) s.number("port", 8080, 0, 65535);
    s.finish();
    return new BellwatchConfig.Web(bind, port);
  }

  private static List<Path> paths(List<String> texts, Path base) {
    return texts.stream().map(t -> base.resolve(t).normalize()).toList();
  }
}
