package org.bellwatch.agent.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

/**
 * The configuration of {@code bellwatch hub} (one YAML file, every key in {@code
 * config/hub.reference.yaml}), immutable and validated once by {@link HubConfigLoader}.
 *
 * @param name the district's display name
 * @param kafka the cluster the schools publish to (no site id: the hub reads every site's messages)
 * @param groupId the hub's consumer group: hubs that share it share the partitions (docs/kafka.md)
 * @param storeDir the hub's own RocksDB store
 * @param bind address the hub's API listens on
 * @param port its port (0: any free port, logged at start)
 * @param accounts who may use the API, with their role and scope
 * @param timezone the district's time zone: the console's days and ranges are calendar days there
 * @param schools the district's site ids: the values of the {@code school} tag of the hub's metrics
 *     (a site not listed is stored all the same, and counted as {@code unlisted}); empty: none
 *     listed
 * @param tlsCertFile PEM certificate chain of the console (HTTPS only, Secure cookies), or null
 * @param tlsKeyFile PEM (PKCS#8) private key of that certificate, or null
 * @param retention how long the hub keeps the schools' block events
 * @param metricsPublic {@code /metrics} answers without a login; else district IT only
 */
public record HubConfig(
    String name,
    KafkaLink kafka,
    String groupId,
    Path storeDir,
    InetAddress bind,
    int port,
    List<Account> accounts,
    ZoneId timezone,
    List<String> schools,
    Path tlsCertFile,
    Path tlsKeyFile,
    Retention retention,
    boolean metricsPublic) {
  public HubConfig {
    accounts = List.copyOf(accounts);
    schools = List.copyOf(schools);
  }

  /**
   * {@code hub.metrics_public} when it is empty or absent, as a site's {@code web.metrics_public}:
   * open on a loopback address, where only this machine's processes can ask, and closed on any
   * other.
   */
  public static boolean metricsPublicByDefault(InetAddress bind) {
    return bind.isLoopbackAddress();
  }

  /** A hub on plain HTTP (loopback) that keeps block events as long as a site does by default. */
  public HubConfig(
      String name,
      KafkaLink kafka,
      String groupId,
      Path storeDir,
      InetAddress bind,
      int port,
      List<Account> accounts,
      ZoneId timezone,
      List<String> schools) {
    this(
        name,
        kafka,
        groupId,
        storeDir,
        bind,
        port,
        accounts,
        timezone,
        schools,
        null,
        null,
        Retention.DEFAULT,
        metricsPublicByDefault(bind));
  }

  /** Whether the console is served over HTTPS. */
  public boolean tls() {
    return tlsCertFile != null;
  }

  /**
   * {@code hub.retention}: as a site's {@code retention} (the same keys, bounds and defaults), less
   * the daily rollups the hub does not keep.
   *
   * @param eventsDays block events are deleted after this many days, as whole days of the
   *     district's time zone
   * @param diskBudgetBytes when above 0, the oldest days of events are evicted until the store fits
   */
  public record Retention(int eventsDays, long diskBudgetBytes) {
    public static final Retention DEFAULT = new Retention(90, 0);
  }

  /**
   * A hub that lists no schools: every school's messages count as {@code unlisted} in its metrics.
   */
  public HubConfig(
      String name,
      KafkaLink kafka,
      String groupId,
      Path storeDir,
      InetAddress bind,
      int port,
      List<Account> accounts,
      ZoneId timezone) {
    this(name, kafka, groupId, storeDir, bind, port, accounts, timezone, List.of());
  }

  /** A hub whose console counts days in UTC. */
  public HubConfig(
      String name,
      KafkaLink kafka,
      String groupId,
      Path storeDir,
      InetAddress bind,
      int port,
      List<Account> accounts) {
    this(name, kafka, groupId, storeDir, bind, port, accounts, ZoneId.of("UTC"));
  }

  /**
   * {@code district_it} sees and decides for every school; {@code school_coordinator} sees its own
   * school.
   */
  public static final List<String> ROLES = List.of("district_it", "school_coordinator");

  /**
   * @param school the site id a school coordinator is scoped to (null for district IT)
   * @param passwordHash the PBKDF2 encoding of the first line of the account's password file
   */
  public record Account(String username, String role, String school, String passwordHash) {}
}
