package org.bellwatch.agent.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Binds and checks a Kafka link ({@code export.kafka} of a site, {@code hub.kafka} of a hub):
 * everything the Kafka client would only refuse at its first connection, or never (a topic name it
 * cannot create), is refused at start naming the key and the value.
 */
final class KafkaLinkLoader {
  /** Kafka's legal topic characters, as long as {@link KafkaLink#MAX_TOPIC_PREFIX} allows. */
  private static final Pattern TOPIC_PREFIX =
      Pattern.compile("[A-Za-z0-9._-]{1," + KafkaLink.MAX_TOPIC_PREFIX + "}");

  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):(\\d{1,5})");
  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-256", "SCRAM-SHA-512");

  private KafkaLinkLoader() {}

  /**
   * @param site true for a site's export (site_id is required), false for a hub (site keys refused)
   */
  static KafkaLink load(Section s, Path base, boolean site) throws ConfigException {
    List<String> servers = s.strings("bootstrap_servers", List.of());
    if (servers.isEmpty()) {
      throw s.error("bootstrap_servers", "name at least one broker as host:port");
    }
    for (String hp : servers) {
      var m = HOST_PORT.matcher(hp.trim());
      if (!m.matches()
          || Integer.parseInt(m.group(2)) < 1
          || Integer.parseInt(m.group(2)) > 65535) {
        throw s.error("bootstrap_servers", "'" + hp + "' is not host:port");
      }
    }
    String prefix = s.string("topic_prefix", "bellwatch");
    if (!TOPIC_PREFIX.matcher(prefix).matches()) {
      throw s.error(
          "topic_prefix",
          "'"
              + prefix
              + "' is not 1-"
              + KafkaLink.MAX_TOPIC_PREFIX
              + " of the characters Kafka allows in a topic"
              + " name (letters, digits, '.', '_', '-')");
    }
    String siteId = null;
    String siteName = null;
    if (site) {
      siteId = s.string("site_id", null);
      if (siteId == null) {
        throw s.error(
            "site_id", "is required: this school's id in the district, such as lincoln-ms");
      }
      if (!KafkaLink.SITE_ID.matcher(siteId).matches()) {
        throw s.error(
            "site_id",
            "'"
                + siteId
                + "' is not 1-64 lower-case letters, digits, '-' or '_'"
                + " starting with a letter or digit");
      }
      siteName = s.string("site_name", siteId);
      String problem = SchoolName.problem(siteName);
      if (problem != null) {
        // The name itself is not repeated: it may be long or reorder the line it is printed on.
        throw s.error(
            "site_name",
            problem + " (one line of at most " + SchoolName.MAX_CHARS + " characters)");
      }
    }
    String protocol = s.string("security_protocol", "PLAINTEXT");
    if (!PROTOCOLS.contains(protocol)) {
      throw s.error(
          "security_protocol",
          "'" + protocol + "' is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");
    }
    Path ca = readable(s, "tls_ca_file", base);
    if (ca != null && !protocol.endsWith("SSL")) {
      throw s.error(
          "tls_ca_file", "is set but security_protocol " + protocol + " does not use TLS");
    }
    String mechanism = s.string("sasl_mechanism", null);
    String user = s.string("sasl_username", null);
    Path password = readable(s, "sasl_password_file", base);
    if (protocol.startsWith("SASL")) {
      if (mechanism == null || !MECHANISMS.contains(mechanism)) {
        throw s.error(
            "sasl_mechanism",
            "'"
                + mechanism
                + "' is not SCRAM-SHA-256 or SCRAM-SHA-512 (required by "
                + protocol
                + ")");
      }
      if (user == null || user.isBlank()) {
        throw s.error("sasl_username", "is required by " + protocol);
      }
      if (password == null) {
        throw s.error("sasl_password_file", "is required by " + protocol);
      }
    } else if (mechanism != null || user != null || password != null) {
      throw s.error(
          mechanism != null
              ? "sasl_mechanism"
              : user != null ? "sasl_username" : "sasl_password_file",
          "is set but security_protocol " + protocol + " does not use SASL");
    }
    long timeout = s.number("delivery_timeout_secs", 120, 5, 86_400);
    long lagWarn = s.number("lag_warn_events", 10_000, 1, Long.MAX_VALUE);
    s.finish();
    return new KafkaLink(
        servers.stream().map(String::trim).toList(),
        prefix,
        siteId,
        siteName,
        protocol,
        ca,
        mechanism,
        user,
        password,
        Duration.ofSeconds(timeout),
        lagWarn);
  }

  /** The readable file a key names (relative to the configuration's folder), or null when unset. */
  static Path readable(Section s, String key, Path base) throws ConfigException {
    String text = s.string(key, null);
    if (text == null) {
      return null;
    }
    Path p = base.resolve(text).normalize();
    if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
      throw s.error(key, "'" + text + "' is not a readable file");
    }
    return p;
  }
}
