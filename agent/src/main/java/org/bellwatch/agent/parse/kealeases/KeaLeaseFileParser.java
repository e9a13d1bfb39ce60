package org.bellwatch.agent.parse.kealeases;

import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Csv;
import org.bellwatch.agent.parse.LeaseLogParser;
import org.bellwatch.agent.parse.Macs;
import org.bellwatch.agent.parse.ParseContext;

/**
 * Kea's DHCPv4 memfile lease file ({@code kea-leases4.csv}): a header row naming the columns
 * ({@code
 * address,hwaddr,client_id,valid_lifetime,expire,subnet_id,fqdn_fwd,fqdn_rev,hostname,state,
 * user_context[,pool_id]}), then one row per lease update, appended. Kea escapes commas inside
 * values as {@code &#x2c}.
 *
 * <p><b>Stateful per instance:</b> the header row sets the column positions for the rows after it
 * (older files lack {@code pool_id}); before any header, the order above is assumed. The row's time
 * is when the lease was last granted: {@code expire - valid_lifetime}. State 0 (default) is an ACK
 * for {@code valid_lifetime} seconds, or a RELEASE when {@code valid_lifetime} is 0 (Kea rewrites a
 * released lease with no lifetime); state 1 (declined) a DECLINE; state 2 (expired-reclaimed) an
 * EXPIRE at {@code expire}. A row without a hardware address has no client.
 */
public final class KeaLeaseFileParser implements LeaseLogParser {
  public static final String VENDOR = "kea_leases";
  private static final List<String> DEFAULT =
      List.of(
          "address",
          "hwaddr",
          "client_id",
          "valid_lifetime",
          "expire",
          "subnet_id",
          "fqdn_fwd",
          "fqdn_rev",
          "hostname",
          "state",
          "user_context");
  private final Map<String, Integer> columns = new HashMap<>();

  public KeaLeaseFileParser(ParseContext context) {
    header(DEFAULT);
  }

  private void header(List<String> names) {
    columns.clear();
    for (int i = 0; i < names.size(); i++) {
      columns.put(names.get(i).strip(), i);
    }
  }

  @Override
  public LeaseObservation parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.isEmpty()) {
      return null;
    }
    List<String> f = Csv.split(trimmed);
    if (f.get(0).equals("address")) {
      header(f);
      return null;
    }
    InetAddress ip = AddressText.parseIp(col(f, "address"));
    if (ip == null) {
      throw new MalformedException("kea_leases_bad_address");
    }
    long valid;
    long expire;
    int state;
    try {
      valid = Long.parseLong(col(f, "valid_lifetime"));
      expire = Long.parseLong(col(f, "expire"));
      String s = col(f, "state");
      state = s == null ? 0 : Integer.parseInt(s);
    } catch (NumberFormatException | NullPointerException e) {
      throw new MalformedException("kea_leases_bad_number");
    }
    String hw = col(f, "hwaddr");
    String mac = hw == null ? null : Macs.normalize(hw);
    String host = col(f, "hostname");
    if (host != null) {
      host = host.replace("&#x2c", ",");
    }
    Kind kind =
        switch (state) {
          case 0 -> valid == 0 ? Kind.RELEASE : Kind.ACK;
          case 1 -> Kind.DECLINE;
          case 2 -> Kind.EXPIRE;
          default -> throw new MalformedException("kea_leases_bad_state");
        };
    Instant time;
    try {
      // Regression (Jazzer, vendorLines): an expiry past Instant's range threw DateTimeException.
      time =
          Instant.ofEpochSecond(kind == Kind.EXPIRE ? expire : Math.subtractExact(expire, valid));
    } catch (java.time.DateTimeException | ArithmeticException e) {
      throw new MalformedException("kea_leases_bad_time");
    }
    return new LeaseObservation(
        time, ip, mac, host, kind, kind == Kind.ACK ? valid : null, VENDOR, line);
  }

  private String col(List<String> f, String name) {
    Integer i = columns.get(name);
    return i == null ? null : Csv.at(f, i);
  }
}
