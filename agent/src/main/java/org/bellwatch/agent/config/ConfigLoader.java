package org.bellwatch.agent.config;

import java.io.IOException;
import java.net.InetAddress;
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
import org.bellwatch.agent.event.Action;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.BlockMethod;
import org.bellwatch.agent.identity.SiteDomains;
import org.bellwatch.agent.journal.Journal;
import org.bellwatch.agent.net.Cidr;
import org.bellwatch.agent.parse.GenericFormat;
import org.bellwatch.agent.parse.generic.GenericParser;
import org.bellwatch.agent.parse.vendors.Vendor;
import org.bellwatch.agent.util.InputFileException;
import org.bellwatch.agent.util.InputFiles;

/**
 * Loads and validates the YAML configuration into a {@link BellwatchConfig}.
 *
 * <p>Design note. The file is read once into a {@link YamlNode} tree that remembers each key's
 * line; each section is read through a {@link Section} that takes keys one at a time with their
 * default and allowed range, and refuses the section if a key is left that nobody took (a typo must
 * not silently fall back to a default). Every failure is a {@link ConfigException} naming file,
 * line, key and value, so {@code run} and {@code check-config} fail at start with one line an
 * operator can act on. Cross-key rules (such as {@code rollups_days >= events_days}) are checked
 * here too, after the keys they relate. It stays one class: each section is a short method over the
 * same {@link Section} reader, and the cross-key rules need the sections they relate read first, in
 * one place.
 */
public final class ConfigLoader {
  public static final String DEFAULT_ROOM_PATTERN = "^(?<room>[A-Za-z]+\\d*)-";
  public static final List<String> DEFAULT_SINKHOLES = List.of("0.0.0.0", "::");

  /**
   * Syslog senders allowed unless configured: the private and local ranges where a school's filter
   * appliances live (RFC 1918, loopback, RFC 4193 unique-local, link-local). The internet is
   * refused, since a forged line would become a recorded block.
   */
  public static final List<String> DEFAULT_SYSLOG_ALLOW =
      List.of(
          "10.0.0.0/8",
          "172.16.0.0/12",
          "192.168.0.0/16",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "::1/128",
          "fc00::/7",
          "fe80::/10");

  private static final List<String> VENDORS = Vendor.ids();

  /** Whether the input files a configuration names are looked at while it is loaded. */
  public enum Inputs {
    /**
     * Not looked at: {@code run} follows log files that may appear later, and reports failures as
     * health.
     */
    AS_GIVEN,
    /**
     * {@code check-config}: every capture file must be a readable regular file, every log path too
     * (or, for a glob, its folder must be readable), each failure naming the key.
     */
    READABLE
  }

  private ConfigLoader() {}

  public static BellwatchConfig load(Path file) throws ConfigException {
    return load(file, Inputs.AS_GIVEN);
  }

  public static BellwatchConfig load(Path file, Inputs inputs) throws ConfigException {
    String text;
    try {
      text = InputFiles.readUtf8(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": configuration file not found");
    } catch (InputFileException e) {
      throw new ConfigException(e.getMessage());
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read configuration file: " + e.getMessage());
    }
    Path base = file.toAbsolutePath().getParent();
    return parse(text, file.toString(), base, inputs);
  }

  /** Parses configuration text; relative paths resolve against {@code base}. */
  public static BellwatchConfig parse(String text, String fileName, Path base)
      throws ConfigException {
    return parse(text, fileName, base, Inputs.AS_GIVEN);
  }

  static BellwatchConfig parse(String text, String fileName, Path base, Inputs inputs)
      throws ConfigException {
    Section root = Section.of(fileName, "", YamlReader.read(text, fileName));
    BellwatchConfig.Site site = site(root.section("site"));
    BellwatchConfig config =
        new BellwatchConfig(
            site,
            schedule(root.section("schedule"), base),
            capture(root.section("capture"), base, inputs),
            logs(root.section("logs"), base, site.timezone(), inputs),
            syslog(root.section("syslog"), base, root),
            dns(root.section("dns")),
            correlate(root.section("correlate")),
            store(root.section("store"), journal(root.section("journal"), base), base),
            retention(root.section("retention")),
            web(root.section("web"), base),
            auth(root.section("auth"), base),
            privacy(root.section("privacy")),
            filter(root.section("filter")),
            export(root.section("export"), base),
            NotificationsLoader.load(root.section("notifications"), base));
    root.finish();
    return config;
  }

  private static BellwatchConfig.Export export(Section s, Path base) throws ConfigException {
    KafkaLink kafka = s.has("kafka") ? KafkaLinkLoader.load(s.section("kafka"), base, true) : null;
    s.finish();
    return new BellwatchConfig.Export(kafka);
  }

  private static BellwatchConfig.Site site(Section s) throws ConfigException {
    String name = s.string("name", "Bellwatch site");
    ZoneId zone =
        s.parsed(
            "timezone",
            ZoneId.of("UTC"),
            ConfigLoader::zone,
            "an IANA time zone such as America/Chicago");
    s.finish();
    return new BellwatchConfig.Site(name, zone);
  }

  static ZoneId zone(String text) {
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static BellwatchConfig.Schedule schedule(Section s, Path base) throws ConfigException {
    String dir = s.string("dir", null);
    Pattern pattern =
        s.parsed(
            "room_hostname_pattern",
            Pattern.compile(DEFAULT_ROOM_PATTERN),
            text -> {
              try {
                return Pattern.compile(text);
              } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(e);
              }
            },
            "a valid regular expression");
    if (!pattern.pattern().contains("(?<room>")) {
      throw s.error(
          "room_hostname_pattern", "'" + pattern.pattern() + "' has no named group (?<room>...)");
    }
    s.finish();
    return new BellwatchConfig.Schedule(
        dir == null ? null : base.resolve(dir).normalize(), pattern);
  }

  private static BellwatchConfig.Capture capture(Section s, Path base, Inputs inputs)
      throws ConfigException {
    List<String> interfaces = s.strings("interfaces", List.of());
    List<Path> files = paths(s.strings("pcap_files", List.of()), base);
    for (Path f : inputs == Inputs.READABLE ? files : List.<Path>of()) {
      String problem = InputPaths.fileProblem(f);
      if (problem != null) {
        throw s.error("pcap_files", problem);
      }
    }
    int snaplen = (int) s.number("snaplen_bytes", 65535, 64, 262144);
    int buffer = (int) s.number("buffer_bytes", 16L << 20, 1L << 16, 1L << 30);
    boolean promiscuous = s.bool("promiscuous", true);
    int queue = (int) s.number("queue_capacity", 65536, 16, 1 << 24);
    boolean immediate = s.bool("immediate_mode", false);
    s.finish();
    return new BellwatchConfig.Capture(
        interfaces, files, snaplen, buffer, promiscuous, queue, immediate);
  }

  private static BellwatchConfig.Logs logs(Section s, Path base, ZoneId siteZone, Inputs inputs)
      throws ConfigException {
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
      ZoneId zone =
          f.parsed(
              "timezone",
              siteZone,
              ConfigLoader::zone,
              "an IANA time zone such as America/Chicago");
      GenericFormat generic = generic(f, vendor);
      f.finish();
      Path resolved = base.resolve(path).normalize();
      if (GLOB_CHARS
          .matcher(resolved.getParent() == null ? "" : resolved.getParent().toString())
          .find()) {
        throw f.error(
            "path", "'" + path + "' has a glob in a folder name; only the file name may be a glob");
      }
      if (inputs == Inputs.READABLE) {
        boolean glob =
            resolved.getFileName() != null
                && GLOB_CHARS.matcher(resolved.getFileName().toString()).find();
        String problem = glob ? InputPaths.globProblem(resolved) : InputPaths.fileProblem(resolved);
        if (problem != null) {
          throw f.error("path", problem);
        }
      }
      files.add(new BellwatchConfig.LogFile(vendor, resolved, zone, generic));
    }
    long poll =
        s.number("poll_interval_ms", BellwatchConfig.Logs.DEFAULT_POLL.toMillis(), 10, 60_000);
    s.finish();
    return new BellwatchConfig.Logs(List.copyOf(files), Duration.ofMillis(poll));
  }

  private static final Pattern GLOB_CHARS = Pattern.compile("[*?\\[{]");
  private static final Pattern LISTENER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

  private static BellwatchConfig.Syslog syslog(Section s, Path base, Section root)
      throws ConfigException {
    // The site zone is the default zone of RFC 3164 timestamps; read it again (marking nothing
    // new).
    ZoneId siteZone =
        root.section("site").parsed("timezone", ZoneId.of("UTC"), ConfigLoader::zone, "a zone");
    List<SyslogListener> listeners = new ArrayList<>();
    java.util.Set<String> names = new java.util.HashSet<>();
    for (Section l : s.sections("listeners")) {
      String name = l.string("name", null);
      if (name == null) {
        throw l.error("name", "is required (it names the listener in metrics and logs)");
      }
      if (!LISTENER_NAME.matcher(name).matches()) {
        throw l.error("name", "'" + name + "' must be 1 to 32 letters, digits, '_', '.' or '-'");
      }
      if (!names.add(name)) {
        throw l.error("name", "'" + name + "' is used by another listener");
      }
      String protocol = l.string("protocol", "udp");
      if (!List.of("udp", "tcp", "tls").contains(protocol)) {
        throw l.error("protocol", "'" + protocol + "' is not udp, tcp or tls");
      }
      String bindText = l.string("bind", "0.0.0.0");
      InetAddress bind = AddressText.parseIp(bindText);
      if (bind == null) {
        throw l.error("bind", "'" + bindText + "' is not an IP address");
      }
      int port = (int) l.number("port", protocol.equals("tls") ? 6514 : 514, 0, 65535);
      String vendor = l.string("vendor", null);
      if (vendor == null) {
        throw l.error("vendor", "is required (one of " + VENDORS + ")");
      }
      if (!VENDORS.contains(vendor)) {
        throw l.error("vendor", "'" + vendor + "' is not a known vendor (one of " + VENDORS + ")");
      }
      List<Cidr> allow = new ArrayList<>();
      for (String text : l.strings("allow", DEFAULT_SYSLOG_ALLOW)) {
        Cidr c = Cidr.parse(text);
        if (c == null) {
          throw l.error(
              "allow", "'" + text + "' is not an address or CIDR block such as 10.0.0.0/8");
        }
        allow.add(c);
      }
      ZoneId zone =
          l.parsed(
              "timezone",
              siteZone,
              ConfigLoader::zone,
              "an IANA time zone such as America/Chicago");
      // RFC 5426 section 3.2: receivers must accept 480 bytes (IPv4) and should accept 2048.
      int maxFrame = (int) l.number("max_frame_bytes", 65536, 480, 16L << 20);
      int rcvbuf = (int) l.number("receive_buffer_bytes", 16L << 20, 0, 1L << 30);
      int sockets = (int) l.number("sockets", 0, 0, 256);
      if (sockets > 1 && !protocol.equals("udp")) {
        throw l.error("sockets", "only applies to udp listeners");
      }
      int maxConnections =
          (int) l.number("max_connections", SyslogListener.DEFAULT_MAX_CONNECTIONS, 1, 65536);
      int idleTimeout =
          (int)
              l.number(
                  "idle_timeout_secs", SyslogListener.DEFAULT_IDLE_TIMEOUT_SECS, 0, 7L * 24 * 3600);
      if (protocol.equals("udp") && maxConnections != SyslogListener.DEFAULT_MAX_CONNECTIONS) {
        throw l.error("max_connections", "only applies to tcp and tls listeners");
      }
      if (protocol.equals("udp") && idleTimeout != SyslogListener.DEFAULT_IDLE_TIMEOUT_SECS) {
        throw l.error("idle_timeout_secs", "only applies to tcp and tls listeners");
      }
      int frameTimeout =
          (int) l.number("frame_timeout_secs", SyslogListener.DEFAULT_FRAME_TIMEOUT_SECS, 1, 3600);
      if (protocol.equals("udp") && l.has("frame_timeout_secs")) {
        throw l.error("frame_timeout_secs", "only applies to tcp and tls listeners");
      }
      PerSender perSender = perSender(l, protocol);
      String cert = l.string("tls_cert_file", null);
      String key = l.string("tls_key_file", null);
      Path certPath = null;
      Path keyPath = null;
      if (protocol.equals("tls")) {
        certPath = readable(l, "tls_cert_file", cert, base);
        keyPath = readable(l, "tls_key_file", key, base);
      } else if (cert != null) {
        throw l.error("tls_cert_file", "only applies to tls listeners");
      } else if (key != null) {
        throw l.error("tls_key_file", "only applies to tls listeners");
      }
      GenericFormat generic = generic(l, vendor);
      l.finish();
      listeners.add(
          new SyslogListener(
              name,
              protocol,
              bind,
              port,
              vendor,
              List.copyOf(allow),
              zone,
              maxFrame,
              rcvbuf,
              sockets,
              certPath,
              keyPath,
              maxConnections,
              idleTimeout,
              frameTimeout,
              generic,
              perSender));
    }
    s.finish();
    return new BellwatchConfig.Syslog(List.copyOf(listeners));
  }

  private static PerSender perSender(Section l, String protocol) throws ConfigException {
    PerSender d = PerSender.DEFAULTS;
    int rate = (int) l.number("sender_rate_per_sec", d.ratePerSec(), 0, 10_000_000);
    int burst = (int) l.number("sender_burst", d.burst(), 1, 10_000_000);
    int connections = (int) l.number("max_connections_per_sender", d.maxConnections(), 1, 65536);
    if (protocol.equals("udp") && l.has("max_connections_per_sender")) {
      throw l.error("max_connections_per_sender", "only applies to tcp and tls listeners");
    }
    return new PerSender(rate, burst, connections);
  }

  /**
   * What a generic mapping may name: a redirect or a failed fetch needs the proxy's own rules
   * (squid).
   */
  private static final List<Action> GENERIC_ACTIONS =
      List.of(Action.ALLOWED, Action.BLOCKED, Action.WARNED, Action.AUTH_CHALLENGE);

  private static final List<String> BLOCK_METHODS =
      List.of(
          BlockMethod.PROXY_DENY,
          BlockMethod.FILTER_DENY,
          BlockMethod.PROXY_REDIRECT,
          BlockMethod.DNS_BLOCK,
          BlockMethod.DNS_NXDOMAIN,
          BlockMethod.APP_BLOCK,
          BlockMethod.FIREWALL_DENY);

  /**
   * The {@code generic:} section of a log file or listener: required with {@code vendor: generic},
   * refused with any other vendor, checked whole here so that a bad pattern stops the start, not a
   * line.
   */
  private static GenericFormat generic(Section owner, String vendor) throws ConfigException {
    boolean present = owner.has("generic");
    Section g = owner.section("generic");
    if (!vendor.equals(GenericParser.VENDOR)) {
      if (present) {
        throw owner.error("generic", "only applies to vendor: generic");
      }
      return null;
    }
    if (!present) {
      throw owner.error(
          "generic", "is required with vendor: generic (format and pattern or fields)");
    }
    String format = g.string("format", null);
    if (format == null || !List.of("regex", "json").contains(format)) {
      throw g.error(
          "format",
          (format == null ? "is required" : "'" + format + "' is not") + " (regex or json)");
    }
    Pattern pattern = null;
    java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
    String regex = g.string("pattern", null);
    Section fieldSection = g.section("fields");
    if (format.equals("regex")) {
      if (regex == null) {
        throw g.error(
            "pattern",
            "is required with format: regex (named groups " + GenericFormat.FIELDS + ")");
      }
      if (g.has("fields")) {
        throw g.error("fields", "only applies to format: json");
      }
      try {
        pattern = GenericFormat.compile(regex);
      } catch (PatternSyntaxException e) {
        throw g.error(
            "pattern",
            "is not a valid regex: " + e.getDescription() + " near index " + e.getIndex());
      }
      for (String required : List.of("time")) {
        if (!GenericFormat.hasGroup(pattern, required)) {
          throw g.error("pattern", "has no named group (?<" + required + ">...)");
        }
      }
      if (!GenericFormat.hasGroup(pattern, "url") && !GenericFormat.hasGroup(pattern, "host")) {
        throw g.error("pattern", "needs a named group (?<url>...) or (?<host>...)");
      }
    } else {
      if (regex != null) {
        throw g.error("pattern", "only applies to format: regex");
      }
      for (String field : GenericFormat.FIELDS) {
        String path = fieldSection.string(field, null);
        if (path != null) {
          if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
            throw fieldSection.error(
                field, "'" + path + "' is not a dotted path of keys such as source.ip");
          }
          fields.put(field, path);
        }
      }
      fieldSection.finish();
      if (!fields.containsKey("time")) {
        throw g.error("fields", "needs time (the dotted path of the record's time)");
      }
      if (!fields.containsKey("url") && !fields.containsKey("host")) {
        throw g.error("fields", "needs url or host");
      }
    }
    String timeFormat = g.string("time_format", "iso8601");
    String bad = GenericParser.checkTimeFormat(timeFormat);
    if (bad != null) {
      throw g.error("time_format", bad);
    }
    java.util.Map<String, Action> actions = new java.util.HashMap<>();
    Section a = g.section("actions");
    for (Action act : GENERIC_ACTIONS) {
      String key = act.id().replace('-', '_');
      for (String value : a.strings(key, List.of())) {
        Action before = actions.put(value.toLowerCase(java.util.Locale.ROOT), act);
        if (before != null && before != act) {
          throw a.error(
              key, "'" + value + "' is also listed under " + before.id().replace('-', '_'));
        }
      }
    }
    a.finish();
    String def = g.string("default_action", null);
    Action defaultAction = null;
    if (def != null) {
      for (Action act : GENERIC_ACTIONS) {
        if (act.id().replace('-', '_').equals(def)) {
          defaultAction = act;
        }
      }
      if (defaultAction == null) {
        throw g.error(
            "default_action", "'" + def + "' is not allowed, blocked, warned or auth_challenge");
      }
    }
    if (actions.isEmpty() && defaultAction == null) {
      throw g.error(
          "actions", "maps no value: list the logged action values, or set default_action");
    }
    String method = g.string("block_method", BlockMethod.FILTER_DENY);
    if (!BLOCK_METHODS.contains(method)) {
      throw g.error("block_method", "'" + method + "' is not one of " + BLOCK_METHODS);
    }
    g.finish();
    return new GenericFormat(pattern, fields, timeFormat, actions, defaultAction, method);
  }

  private static Path readable(Section s, String key, String text, Path base)
      throws ConfigException {
    if (text == null) {
      throw s.error(key, "is required for a tls listener (PEM file)");
    }
    Path p = base.resolve(text).normalize();
    if (!Files.isReadable(p)) {
      throw s.error(key, "'" + p + "' is not a readable file");
    }
    return p;
  }

  private static BellwatchConfig.Dns dns(Section s) throws ConfigException {
    List<InetAddress> sinkholes = new ArrayList<>();
    for (String text : s.strings("sinkhole_addresses", DEFAULT_SINKHOLES)) {
      InetAddress a = AddressText.parseIp(text);
      if (a == null) {
        throw s.error("sinkhole_addresses", "'" + text + "' is not an IP address");
      }
      sinkholes.add(a);
    }
    List<String> local = new ArrayList<>();
    for (String text : s.strings("local_domains", List.of())) {
      String d = SiteDomains.normalize(text);
      if (d == null) {
        throw s.error("local_domains", "'" + text + "' is not a domain name");
      }
      local.add(d);
    }
    boolean nxdomain = s.bool("nxdomain_is_block", false);
    s.finish();
    return new BellwatchConfig.Dns(List.copyOf(sinkholes), List.copyOf(local), nxdomain);
  }

  private static BellwatchConfig.Filter filter(Section s) throws ConfigException {
    List<String> hosts = new ArrayList<>();
    for (String text : s.strings("block_page_hosts", List.of())) {
      InetAddress address = AddressText.parseIp(text);
      String host = address != null ? address.getHostAddress() : SiteDomains.normalize(text);
      if (host == null) {
        throw s.error("block_page_hosts", "'" + text + "' is not a host name or IP address");
      }
      hosts.add(host);
    }
    boolean redirects = s.bool("redirects_are_blocks", false);
    List<Cidr> proxies = new ArrayList<>();
    for (String text : s.strings("proxy_addresses", List.of())) {
      Cidr c = Cidr.parse(text);
      if (c == null) {
        throw s.error(
            "proxy_addresses",
            "'" + text + "' is not an address or CIDR block such as 10.0.0.8/32");
      }
      proxies.add(c);
    }
    long window =
        s.number(
            "proxy_lookup_window_secs",
            BellwatchConfig.Filter.DEFAULT_PROXY_LOOKUP_WINDOW.toSeconds(),
            1,
            86_400);
    s.finish();
    return new BellwatchConfig.Filter(hosts, redirects, proxies, Duration.ofSeconds(window));
  }

  private static BellwatchConfig.Correlate correlate(Section s) throws ConfigException {
    long window = s.number("merge_window_secs", 10, 0, 3600);
    long reorder = s.number("reorder_window_secs", 30, 0, 3600);
    if (reorder < window) {
      throw s.error(
          "reorder_window_secs", reorder + " is shorter than merge_window_secs (" + window + ")");
    }
    long late =
        s.number(
            "late_evidence_secs",
            BellwatchConfig.Correlate.DEFAULT_LATE_EVIDENCE.toSeconds(),
            0,
            7 * 86_400);
    s.finish();
    return new BellwatchConfig.Correlate(
        Duration.ofSeconds(window), Duration.ofSeconds(reorder), Duration.ofSeconds(late));
  }

  private static BellwatchConfig.Store store(Section s, BellwatchConfig.Journal journal, Path base)
      throws ConfigException {
    String dir = s.string("dir", "/var/lib/bellwatch");
    boolean sync = s.bool("sync_writes", false);
    s.finish();
    return new BellwatchConfig.Store(base.resolve(dir).normalize(), sync, journal);
  }

  private static BellwatchConfig.Journal journal(Section s, Path base) throws ConfigException {
    BellwatchConfig.Journal d = BellwatchConfig.Journal.DEFAULTS;
    boolean enabled = s.bool("enabled", d.enabled());
    String dir = s.string("dir", null);
    Journal.Fsync fsync =
        s.parsed(
            "fsync",
            d.fsync(),
            t -> Journal.Fsync.valueOf(t.toUpperCase(java.util.Locale.ROOT)),
            "one of batch, interval, never");
    long interval = s.number("fsync_interval_ms", d.fsyncInterval().toMillis(), 10, 60_000);
    long segment = s.number("segment_bytes", d.segmentBytes(), 1L << 16, 1L << 30);
    long max = s.number("max_bytes", d.maxBytes(), 1L << 20, 1L << 40);
    if (max < 2 * segment) {
      throw s.error(
          "max_bytes", max + " is less than two segments (segment_bytes " + segment + ")");
    }
    s.finish();
    return new BellwatchConfig.Journal(
        enabled,
        dir == null || dir.isBlank() ? null : base.resolve(dir).normalize(),
        fsync,
        Duration.ofMillis(interval),
        max,
        segment);
  }

  private static BellwatchConfig.Retention retention(Section s) throws ConfigException {
    int events = eventsDays(s);
    int rollups = (int) s.number("rollups_days", 400, 1, 3660);
    long budget = diskBudgetBytes(s);
    if (rollups < events) {
      throw s.error("rollups_days", rollups + " is shorter than events_days (" + events + ")");
    }
    s.finish();
    return new BellwatchConfig.Retention(events, rollups, budget);
  }

  /** {@code events_days} of a retention section (a site's or the hub's). */
  static int eventsDays(Section s) throws ConfigException {
    return (int) s.number("events_days", 90, 1, 3660);
  }

  /** {@code disk_budget_bytes} of a retention section (a site's or the hub's). */
  static long diskBudgetBytes(Section s) throws ConfigException {
    return s.number("disk_budget_bytes", 0, 0, Long.MAX_VALUE);
  }

  /**
   * The HTTPS settings of a console's section ({@code web} or {@code hub}): {@code tls_cert_file}
   * and {@code tls_key_file} (both or neither), and {@code allow_plain_http}, which a bind address
   * that is not loopback needs when there is no certificate.
   */
  record Https(Path certFile, Path keyFile, boolean allowPlainHttp) {}

  static Https https(Section s, Path base, InetAddress bind, String bindText)
      throws ConfigException {
    String cert = s.string("tls_cert_file", null);
    String key = s.string("tls_key_file", null);
    if ((cert == null) != (key == null)) {
      throw s.error(
          cert == null ? "tls_cert_file" : "tls_key_file",
          "is required when "
              + (cert == null ? "tls_key_file" : "tls_cert_file")
              + " is set (PEM file)");
    }
    Path certPath = cert == null ? null : readable(s, "tls_cert_file", cert, base);
    Path keyPath = key == null ? null : readable(s, "tls_key_file", key, base);
    boolean plain = s.bool("allow_plain_http", false);
    // Student browsing data crosses the network only encrypted, unless the operator says otherwise.
    if (!bind.isLoopbackAddress() && certPath == null && !plain) {
      throw s.error(
          "bind",
          "'"
              + bindText
              + "' is not a loopback address: set "
              + s.key("tls_cert_file")
              + " and "
              + s.key("tls_key_file")
              + " (HTTPS), or "
              + s.key("allow_plain_http")
              + ": true behind a TLS reverse proxy");
    }
    return new Https(certPath, keyPath, plain);
  }

  /**
   * Roles of console accounts: the staff roles least to most privileged, and teacher (its own
   * sections only, beside the staff ladder).
   */
  public static final List<String> ROLES = List.of("viewer", "coordinator", "admin", "teacher");

  private static BellwatchConfig.Web web(Section s, Path base) throws ConfigException {
    String bindText = s.string("bind", "127.0.0.1");
    InetAddress bind = AddressText.parseIp(bindText);
    if (bind == null) {
      throw s.error("bind", "'" + bindText + "' is not an IP address");
    }
    int port = (int) s.number("port", 8080, 0, 65535);
    Https https = https(s, base, bind, bindText);
    boolean metricsPublic = s.bool("metrics_public", bind.isLoopbackAddress());
    long idle =
        s.number(
            "idle_timeout_secs", BellwatchConfig.Web.DEFAULT_IDLE_TIMEOUT.toSeconds(), 1, 3600);
    // Below 1 KiB a browser's ordinary request with its session cookie would be refused.
    int headerBytes =
        (int)
            s.number(
                "max_request_header_bytes",
                BellwatchConfig.Web.DEFAULT_MAX_REQUEST_HEADER_BYTES,
                1024,
                1 << 20);
    List<String> hosts = new ArrayList<>();
    for (String h : s.strings("allowed_hosts", List.of())) {
      String name = h.strip().toLowerCase(java.util.Locale.ROOT);
      name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
      name =
          name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
      // RFC 1123 section 2.1 names, optionally "*." for any one label in front; or an address.
      if (!name.matches(
              "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")
          && AddressText.parseIp(name) == null) {
        throw s.error(
            "allowed_hosts",
            "'"
                + h
                + "' is not a host name (such as bellwatch.school.example or"
                + " *.school.example) or an IP address");
      }
      hosts.add(name);
    }
    s.finish();
    return new BellwatchConfig.Web(
        bind,
        port,
        https.certFile(),
        https.keyFile(),
        https.allowPlainHttp(),
        metricsPublic,
        Duration.ofSeconds(idle),
        headerBytes,
        hosts);
  }

  private static Auth auth(Section s, Path base) throws ConfigException {
    Auth d = Auth.DEFAULTS;
    // Tests lower the cost; below 600,000 (OWASP 2023 for PBKDF2-HMAC-SHA256) is not for
    // production.
    int iterations = (int) s.number("pbkdf2_iterations", d.pbkdf2Iterations(), 1000, 100_000_000);
    long idle = s.number("session_idle_secs", d.sessionIdle().toSeconds(), 60, 31L * 86400);
    long absolute =
        s.number("session_absolute_secs", d.sessionAbsolute().toSeconds(), 60, 366L * 86400);
    if (absolute < idle) {
      throw s.error(
          "session_absolute_secs", absolute + " is shorter than session_idle_secs (" + idle + ")");
    }
    int failures = (int) s.number("login_max_failures", d.loginMaxFailures(), 1, 1000);
    long backoff = s.number("login_backoff_secs", d.loginBackoff().toSeconds(), 1, 86400);
    long backoffMax = s.number("login_backoff_max_secs", d.loginBackoffMax().toSeconds(), 1, 86400);
    if (backoffMax < backoff) {
      throw s.error(
          "login_backoff_max_secs",
          backoffMax + " is shorter than login_backoff_secs (" + backoff + ")");
    }
    long setup = s.number("setup_token_secs", d.setupTokenTtl().toSeconds(), 60, 30L * 86400);
    Oidc oidc = oidc(s.section("oidc"), base);
    s.finish();
    return new Auth(
        iterations,
        Duration.ofSeconds(idle),
        Duration.ofSeconds(absolute),
        failures,
        Duration.ofSeconds(backoff),
        Duration.ofSeconds(backoffMax),
        Duration.ofSeconds(setup),
        oidc);
  }

  /** {@code auth.oidc}: absent or without {@code issuer} means no single sign-on. */
  private static Oidc oidc(Section s, Path base) throws ConfigException {
    String issuer = s.string("issuer", null);
    String clientId = s.string("client_id", null);
    String secretFile = s.string("client_secret_file", null);
    String redirect = s.string("redirect_url", null);
    List<String> domains = s.strings("allowed_email_domains", List.of());
    String defaultRole = s.string("default_role", "none");
    String groupsClaim = s.string("groups_claim", "groups");
    List<String> admins = s.strings("admin_groups", List.of());
    List<String> coordinators = s.strings("coordinator_groups", List.of());
    List<String> viewers = s.strings("viewer_groups", List.of());
    List<String> teachers = s.strings("teacher_groups", List.of());
    String label = s.string("button_label", "Sign in with your school account");
    s.finish();
    if (issuer == null) {
      if (clientId != null || secretFile != null || redirect != null) {
        throw s.error("issuer", "is required when auth.oidc is configured");
      }
      return null;
    }
    java.net.URI issuerUri = url(s, "issuer", issuer);
    if (clientId == null) {
      throw s.error("client_id", "is required with auth.oidc.issuer");
    }
    if (redirect == null) {
      throw s.error(
          "redirect_url",
          "is required with auth.oidc.issuer (https://HOST:PORT/api/v1/auth/oidc/callback)");
    }
    java.net.URI redirectUri = url(s, "redirect_url", redirect);
    if (!"/api/v1/auth/oidc/callback".equals(redirectUri.getPath())) {
      throw s.error("redirect_url", "'" + redirect + "' must end in /api/v1/auth/oidc/callback");
    }
    if (secretFile == null) {
      throw s.error(
          "client_secret_file",
          "is required with auth.oidc.issuer (a file holding the client secret)");
    }
    Path secret = base.resolve(secretFile).normalize();
    if (!Files.isReadable(secret)) {
      throw s.error("client_secret_file", "'" + secret + "' is not a readable file");
    }
    if (!defaultRole.equals("none") && !ROLES.contains(defaultRole)) {
      throw s.error(
          "default_role", "'" + defaultRole + "' is not none or a role (one of " + ROLES + ")");
    }
    List<String> lowerDomains =
        domains.stream().map(x -> x.toLowerCase(java.util.Locale.ROOT)).toList();
    return new Oidc(
        issuerUri,
        clientId,
        secret,
        redirectUri,
        lowerDomains,
        defaultRole,
        groupsClaim,
        admins,
        coordinators,
        teachers,
        viewers,
        label);
  }

  /**
   * An https URL, or http on a loopback host (a provider or console on this machine: tests,
   * tunnels).
   */
  private static java.net.URI url(Section s, String key, String text) throws ConfigException {
    try {
      java.net.URI u = new java.net.URI(text);
      String host = u.getHost();
      boolean loopback =
          host != null
              && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
      if (host == null
          || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()) && loopback)
          || u.getRawQuery() != null
          || u.getRawFragment() != null) {
        throw s.error(
            key,
            "'"
                + text
                + "' is not an https URL (http only on localhost), without query or fragment");
      }
      return u;
    } catch (java.net.URISyntaxException e) {
      throw s.error(key, "'" + text + "' is not a URL");
    }
  }

  private static BellwatchConfig.Privacy privacy(Section s) throws ConfigException {
    boolean pseudonymize = s.bool("pseudonymize", false);
    List<String> roles =
        s.strings("usernames_visible_to", BellwatchConfig.Privacy.DEFAULTS.usernamesVisibleTo());
    for (String r : roles) {
      if (!ROLES.contains(r)) {
        throw s.error("usernames_visible_to", "'" + r + "' is not a role (one of " + ROLES + ")");
      }
    }
    s.finish();
    return new BellwatchConfig.Privacy(pseudonymize, roles);
  }

  private static List<Path> paths(List<String> texts, Path base) {
    return texts.stream().map(t -> base.resolve(t).normalize()).toList();
  }
}
