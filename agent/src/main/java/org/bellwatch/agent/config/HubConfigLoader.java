package org.bellwatch.agent.config;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.bellwatch.agent.event.AddressText;

/**
 * Reads and checks a hub configuration file; unknown keys and bad values are refused naming key and
 * line.
 */
public final class HubConfigLoader {
  private HubConfigLoader() {}

  /**
   * @param hash turns an account's password into its stored encoding (PBKDF2 in the web layer), so
   *     that the password itself is not kept in memory after start
   */
  public static HubConfig load(Path file, Function<char[], String> hash) throws ConfigException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read configuration file: " + e.getMessage());
    }
    Path base = file.toAbsolutePath().getParent();
    Section root = Section.of(file.toString(), "", YamlReader.read(text, file.toString()));
    Section hub = root.section("hub");
    String name = hub.string("name", "District");
    KafkaLink kafka = KafkaLinkLoader.load(hub.section("kafka"), base, false);
    String group = hub.string("group_id", "bellwatch-hub");
    if (!group.matches("[A-Za-z0-9._-]{1,200}")) {
      throw hub.error("group_id", "'" + group + "' is not 1-200 letters, digits, '.', '_' or '-'");
    }
    Path store = base.resolve(hub.string("store_dir", "/var/lib/bellwatch-hub")).normalize();
    String bindText = hub.string("bind", "127.0.0.1");
    InetAddress bind = AddressText.parseIp(bindText);
    if (bind == null) {
      throw hub.error("bind", "'" + bindText + "' is not an IPv4 or IPv6 address");
    }
    int port = (int) hub.number("port", 8090, 0, 65535);
    ConfigLoader.Https https = ConfigLoader.https(hub, base, bind, bindText);
    boolean metricsPublic = hub.bool("metrics_public", HubConfig.metricsPublicByDefault(bind));
    Section kept = hub.section("retention");
    HubConfig.Retention retention =
        new HubConfig.Retention(ConfigLoader.eventsDays(kept), ConfigLoader.diskBudgetBytes(kept));
    kept.finish();
    java.time.ZoneId zone =
        hub.parsed(
            "timezone",
            java.time.ZoneId.of("UTC"),
            ConfigLoader::zone,
            "an IANA time zone such as America/Chicago");
    List<String> schools = hub.strings("schools", List.of());
    for (String s : schools) {
      if (!KafkaLink.SITE_ID.matcher(s).matches()) {
        throw hub.error(
            "schools",
            "'" + s + "' is not a site id (lower-case letters, digits, '-', '_'; at most 64)");
      }
      if (schools.indexOf(s) != schools.lastIndexOf(s)) {
        throw hub.error("schools", "'" + s + "' is named twice");
      }
    }
    List<HubConfig.Account> accounts = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Section a : hub.sections("accounts")) {
      accounts.add(account(a, base, hash, names, schools));
    }
    if (accounts.stream().noneMatch(a -> a.role().equals("district_it"))) {
      throw hub.error("accounts", "name at least one account with role district_it");
    }
    hub.finish();
    root.finish();
    return new HubConfig(
        name,
        kafka,
        group,
        store,
        bind,
        port,
        accounts,
        zone,
        schools,
        https.certFile(),
        https.keyFile(),
        retention,
        metricsPublic);
  }

  private static HubConfig.Account account(
      Section a, Path base, Function<char[], String> hash, Set<String> names, List<String> schools)
      throws ConfigException {
    String user = a.string("username", null);
    if (user == null || !user.matches("[A-Za-z0-9._@-]{1,64}")) {
      throw a.error("username", "'" + user + "' is not 1-64 letters, digits, '.', '_', '@' or '-'");
    }
    if (!names.add(user)) {
      throw a.error("username", "'" + user + "' is named twice");
    }
    String role = a.string("role", null);
    if (!HubConfig.ROLES.contains(role)) {
      throw a.error("role", "'" + role + "' is not one of " + HubConfig.ROLES);
    }
    String school = a.string("school", null);
    if (role.equals("school_coordinator")
        && (school == null || !KafkaLink.SITE_ID.matcher(school).matches())) {
      throw a.error(
          "school",
          "'" + school + "' is not a site id (a school coordinator is scoped to one school)");
    }
    if (school != null && !schools.isEmpty() && !schools.contains(school)) {
      throw a.error("school", "'" + school + "' is not one of hub.schools " + schools);
    }
    if (role.equals("district_it") && school != null) {
      throw a.error("school", "district_it sees every school; remove the key");
    }
    String pwText = a.string("password_file", null);
    if (pwText == null) {
      throw a.error("password_file", "is required: a file whose first line is the password");
    }
    Path pw = base.resolve(pwText).normalize();
    String password;
    try {
      password = Files.readAllLines(pw, StandardCharsets.UTF_8).stream().findFirst().orElse("");
    } catch (IOException e) {
      throw a.error("password_file", "'" + pwText + "' cannot be read: " + e.getMessage());
    }
    if (password.length() < 12) {
      throw a.error(
          "password_file", "'" + pwText + "' holds a password shorter than 12 characters");
    }
    a.finish();
    return new HubConfig.Account(user, role, school, hash.apply(password.toCharArray()));
  }
}
