package org.bellwatch.agent.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Pattern;
import org.bellwatch.agent.net.Cidr;
import org.bellwatch.agent.parse.GenericFormat;

/**
 * The whole configuration, immutable and validated once by {@link ConfigLoader}. Every key and its
 * default is documented in {@code config/bellwatch.reference.yaml}; relative paths are resolved
 * against the directory of the configuration file.
 *
 * <p>The small sections are records nested here; those with more to them have their own files in
 * this package ({@link SyslogListener} with {@link PerSender}, {@link Auth} with {@link Oidc},
 * {@link KafkaLink}, which a hub's configuration shares; {@link Notifications}).
 */
public record BellwatchConfig(
    Site site,
    Schedule schedule,
    Capture capture,
    Logs logs,
    Syslog syslog,
    Dns dns,
    Correlate correlate,
    Store store,
    Retention retention,
    Web web,
    Auth auth,
    Privacy privacy,
    Filter filter,
    Export export,
    Notifications notifications) {

  /** A configuration that exports nothing. */
  public BellwatchConfig(
      Site site,
      Schedule schedule,
      Capture capture,
      Logs logs,
      Syslog syslog,
      Dns dns,
      Correlate correlate,
      Store store,
      Retention retention,
      Web web,
      Auth auth,
      Privacy privacy,
      Filter filter) {
    this(
        site,
        schedule,
        capture,
        logs,
        syslog,
        dns,
        correlate,
        store,
        retention,
        web,
        auth,
        privacy,
        filter,
        Export.NONE,
        Notifications.NONE);
  }

  /** A configuration with the default proxy settings ({@code filter:}), exporting nothing. */
  public BellwatchConfig(
      Site site,
      Schedule schedule,
      Capture capture,
      Logs logs,
      Syslog syslog,
      Dns dns,
      Correlate correlate,
      Store store,
      Retention retention,
      Web web,
      Auth auth,
      Privacy privacy) {
    this(
        site,
        schedule,
        capture,
        logs,
        syslog,
        dns,
        correlate,
        store,
        retention,
        web,
        auth,
        privacy,
        Filter.DEFAULTS);
  }

  /** A configuration with the default console accounts and privacy settings. */
  public BellwatchConfig(
      Site site,
      Schedule schedule,
      Capture capture,
      Logs logs,
      Syslog syslog,
      Dns dns,
      Correlate correlate,
      Store store,
      Retention retention,
      Web web) {
    this(
        site,
        schedule,
        capture,
        logs,
        syslog,
        dns,
        correlate,
        store,
        retention,
        web,
        Auth.DEFAULTS,
        Privacy.DEFAULTS);
  }

  /**
   * @param name display name of the school; @param timezone IANA zone of the school's clocks
   */
  public record Site(String name, ZoneId timezone) {}

  /**
   * @param dir schedule folder (OneRoster CSVs, bells.csv, calendar.csv), or null for none
   * @param roomHostnamePattern regex with a named group {@code room}, applied to DHCP host names
   */
  public record Schedule(Path dir, Pattern roomHostnamePattern) {}

  /**
   * @param interfaces interfaces to capture from live (empty: no live capture)
   * @param pcapFiles capture files read once at start, in time order with the log files
   * @param snaplenBytes bytes kept per packet
   * @param bufferBytes kernel capture buffer size
   * @param promiscuous promiscuous mode (needed on a mirror port)
   * @param queueCapacity inputs (captured frames, syslog records) that may wait for the pipeline
   *     thread
   * @param immediateMode libpcap immediate mode: each packet is handed over at once instead of in
   *     blocks
   */
  public record Capture(
      List<String> interfaces,
      List<Path> pcapFiles,
      int snaplenBytes,
      int bufferBytes,
      boolean promiscuous,
      int queueCapacity,
      boolean immediateMode) {}

  /**
   * @param files web-filter and DHCP server log files: followed by {@code run}, read once by {@code
   *     replay}
   * @param pollInterval how often {@code run} looks for new lines, new files and rotations
   */
  public record Logs(List<LogFile> files, Duration pollInterval) {
    public static final Duration DEFAULT_POLL = Duration.ofMillis(500);

    public Logs(List<LogFile> files) {
      this(files, DEFAULT_POLL);
    }
  }

  /**
   * @param vendor a {@code parse.vendors.Vendor} id such as {@code squid}
   * @param path the file, or a glob in its last element ({@code /var/log/squid/access.log*}); files
   *     ending in {@code .gz} are read once, whole (rotated logs, for back-fill)
   * @param timezone zone of the file's local times (lines without an offset); defaults to {@code
   *     site.timezone}
   * @param generic the {@code generic} vendor's mapping; null for every other vendor
   */
  public record LogFile(String vendor, Path path, ZoneId timezone, GenericFormat generic) {
    public LogFile(String vendor, Path path, ZoneId timezone) {
      this(vendor, path, timezone, null);
    }
  }

  /**
   * @param listeners syslog listeners (UDP, TCP, TLS) receiving filter logs
   */
  public record Syslog(List<SyslogListener> listeners) {}

  /**
   * @param sinkholeAddresses answers that mean "blocked" (block-page and null addresses)
   * @param localDomains the site's own domains: a name at or under them that does not exist is no
   *     block (lower-case, no trailing dot; more are learned from DHCP)
   * @param nxdomainIsBlock NXDOMAIN answers to A and AAAA questions on the wire mean "blocked"
   */
  public record Dns(
      List<InetAddress> sinkholeAddresses, List<String> localDomains, boolean nxdomainIsBlock) {
    public Dns(List<InetAddress> sinkholeAddresses) {
      this(sinkholeAddresses, List.of(), false);
    }
  }

  /**
   * @param mergeWindow evidence of one client and domain within this window is one attempt
   * @param reorderWindow how long an attempt waits for late identity evidence before it is
   *     attributed
   * @param lateEvidence how long attributed attempts are kept in memory for evidence that arrives
   *     late (older evidence still joins a stored attempt it finds, else counts as late)
   */
  public record Correlate(Duration mergeWindow, Duration reorderWindow, Duration lateEvidence) {
    public static final Duration DEFAULT_LATE_EVIDENCE = Duration.ofMinutes(15);

    public Correlate(Duration mergeWindow, Duration reorderWindow) {
      this(mergeWindow, reorderWindow, DEFAULT_LATE_EVIDENCE);
    }
  }

  /**
   * How the site's proxy and its redirector refuse (README, "Proxies and redirectors").
   *
   * @param blockPageHosts host names and addresses of the site's block pages (lower-case, no
   *     trailing dot): a proxy's redirect there is a block
   * @param redirectsAreBlocks every redirect a proxy's redirector answers is a block (squidGuard
   *     and ufdbGuard redirect only to refuse), wherever it goes
   * @param proxyAddresses the addresses the site's proxies look names up from: a DNS filter's block
   *     of such a lookup is a block of the proxy's client, never of the proxy
   * @param proxyLookupWindow a request the proxy could not fetch joins the DNS filter's block of
   *     its lookup of the name this long before it (the proxy caches the answer: squid's
   *     negative_dns_ttl)
   */
  public record Filter(
      List<String> blockPageHosts,
      boolean redirectsAreBlocks,
      List<Cidr> proxyAddresses,
      Duration proxyLookupWindow) {
    public static final Duration DEFAULT_PROXY_LOOKUP_WINDOW = Duration.ofSeconds(60);
    public static final Filter DEFAULTS =
        new Filter(List.of(), false, List.of(), DEFAULT_PROXY_LOOKUP_WINDOW);

    public Filter {
      blockPageHosts = List.copyOf(blockPageHosts);
      proxyAddresses = List.copyOf(proxyAddresses);
    }
  }

  /**
   * @param dir RocksDB directory
   * @param syncWrites fsync the WAL on every batch
   * @param journal the intake journal (docs/design.md, "Intake journal")
   */
  public record Store(Path dir, boolean syncWrites, Journal journal) {
    /** A store with the default journal, in {@code dir/journal}. */
    public Store(Path dir, boolean syncWrites) {
      this(dir, syncWrites, Journal.DEFAULTS);
    }

    /** Where the journal's files are: its own folder, or {@code journal} in the store folder. */
    public Path journalDir() {
      return journal.dir() != null ? journal.dir() : dir.resolve("journal");
    }
  }

  /**
   * @param enabled write syslog records and live-capture evidence ahead of the correlator's memory
   * @param dir the journal's folder, or null for {@code journal} inside the store folder
   * @param fsync when appended records are synced to the disk
   * @param fsyncInterval how often {@link org.bellwatch.agent.journal.Journal.Fsync#INTERVAL} syncs
   * @param maxBytes past this, new records are not journaled (counted, reason {@code max_bytes})
   * @param segmentBytes the size of one segment file; whole segments are deleted once stored
   */
  public record Journal(
      boolean enabled,
      Path dir,
      org.bellwatch.agent.journal.Journal.Fsync fsync,
      Duration fsyncInterval,
      long maxBytes,
      long segmentBytes) {
    public static final Journal DEFAULTS =
        new Journal(
            true,
            null,
            org.bellwatch.agent.journal.Journal.Fsync.INTERVAL,
            Duration.ofSeconds(1),
            1L << 30,
            16L << 20);
  }

  /**
   * @param eventsDays raw block events are kept this many days
   * @param rollupsDays daily counters are kept this many days
   * @param diskBudgetBytes when above 0, the oldest days of events are evicted until the store fits
   */
  public record Retention(int eventsDays, int rollupsDays, long diskBudgetBytes) {}

  /**
   * @param bind listen address
   * @param port listen port (0 picks a free port)
   * @param tlsCertFile PEM certificate chain: the console is served over HTTPS only; else null
   * @param tlsKeyFile PEM (PKCS#8) private key of that certificate; else null
   * @param allowPlainHttp plain HTTP on a non-loopback address, explicitly accepted
   * @param metricsPublic {@code /metrics} answers without a login
   * @param idleTimeout a connection that sends nothing this long is closed (a half-sent request
   *     too)
   * @param maxRequestHeaderBytes the request line and headers together may not be longer (431
   *     beyond)
   * @param allowedHosts host names (lower case; {@code *.} first matches one label) or addresses a
   *     request's Host header may name besides the automatic ones (see web.HostCheck)
   */
  public record Web(
      InetAddress bind,
      int port,
      Path tlsCertFile,
      Path tlsKeyFile,
      boolean allowPlainHttp,
      boolean metricsPublic,
      Duration idleTimeout,
      int maxRequestHeaderBytes,
      List<String> allowedHosts) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 8192;

    public Web {
      allowedHosts = List.copyOf(allowedHosts);
    }

    /** No host names beyond the automatic ones ({@code web.allowed_hosts} empty). */
    public Web(
        InetAddress bind,
        int port,
        Path tlsCertFile,
        Path tlsKeyFile,
        boolean allowPlainHttp,
        boolean metricsPublic,
        Duration idleTimeout,
        int maxRequestHeaderBytes) {
      this(
          bind,
          port,
          tlsCertFile,
          tlsKeyFile,
          allowPlainHttp,
          metricsPublic,
          idleTimeout,
          maxRequestHeaderBytes,
          List.of());
    }

    /** Plain HTTP with public metrics: the loopback defaults. */
    public Web(InetAddress bind, int port) {
      this(bind, port, null, null, false, true);
    }

    /** The default idle timeout and request header limit. */
    public Web(
        InetAddress bind,
        int port,
        Path tlsCertFile,
        Path tlsKeyFile,
        boolean allowPlainHttp,
        boolean metricsPublic) {
      this(
          bind,
          port,
          tlsCertFile,
          tlsKeyFile,
          allowPlainHttp,
          metricsPublic,
          DEFAULT_IDLE_TIMEOUT,
          DEFAULT_MAX_REQUEST_HEADER_BYTES);
    }

    public boolean tls() {
      return tlsCertFile != null;
    }
  }

  /**
   * @param pseudonymize users and devices are shown and exported as stable keyed pseudonyms
   * @param usernamesVisibleTo roles that see student usernames (others see null)
   */
  public record Privacy(boolean pseudonymize, List<String> usernamesVisibleTo) {
    public static final Privacy DEFAULTS = new Privacy(false, List.of("admin"));

    public Privacy {
      usernamesVisibleTo = List.copyOf(usernamesVisibleTo);
    }
  }

  /**
   * Where the site publishes what it stores: today only Kafka ({@code export.kafka}), or nowhere
   * (null).
   */
  public record Export(KafkaLink kafka) {
    public static final Export NONE = new Export(null);
  }
}
