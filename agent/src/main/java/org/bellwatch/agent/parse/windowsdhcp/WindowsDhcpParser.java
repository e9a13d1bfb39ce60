package org.bellwatch.agent.parse.windowsdhcp;

import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.LeaseObservation;
import org.bellwatch.agent.event.LeaseObservation.Kind;
import org.bellwatch.agent.event.MalformedException;
import org.bellwatch.agent.parse.Csv;
import org.bellwatch.agent.parse.LeaseLogParser;
import org.bellwatch.agent.parse.Macs;
import org.bellwatch.agent.parse.ParseContext;

/**
 * Windows Server DHCP audit log ({@code DhcpSrvLog-<Day>.log}): a preamble explaining event ids, a
 * header row, then {@code ID,Date,Time,Description,IP Address,Host Name,MAC Address,...} rows in
 * the server's local time ({@code MM/dd/yy}, the source's zone). Rows may stop early (older servers
 * write 7 or 8 columns). Preamble, header and rows of other events return null.
 *
 * <p>Event ids (the preamble's own table): 10 new lease, 11 renewal, 20 and 21 BOOTP lease: ACK; 12
 * release: RELEASE; 16 deleted, 17 and 18 expired: EXPIRE; 15 denied: NAK; 13 address in use:
 * DECLINE. The log gives no lease time. Windows reuses the seven file names weekly; that is the
 * tailer's concern (it sees the file truncated), not this parser's.
 */
public final class WindowsDhcpParser implements LeaseLogParser {
  public static final String VENDOR = "windows_dhcp";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM/dd/yy HH:mm:ss");
  private final ParseContext context;

  public WindowsDhcpParser(ParseContext context) {
    this.context = context;
  }

  @Override
  public LeaseObservation parse(String line) throws MalformedException {
    String trimmed = line.strip();
    if (trimmed.length() < 3
        || !Character.isDigit(trimmed.charAt(0))
        || !Character.isDigit(trimmed.charAt(1))
        || trimmed.charAt(2) != ',') {
      return null;
    }
    List<String> f = Csv.split(trimmed);
    if (f.size() < 7) {
      throw new MalformedException("windows_dhcp_too_few_fields");
    }
    Kind kind =
        switch (f.get(0)) {
          case "10", "11", "20", "21" -> Kind.ACK;
          case "12" -> Kind.RELEASE;
          case "16", "17", "18" -> Kind.EXPIRE;
          case "15" -> Kind.NAK;
          case "13" -> Kind.DECLINE;
          default -> null;
        };
    if (kind == null) {
      return null;
    }
    java.time.Instant time;
    try {
      time =
          LocalDateTime.parse(f.get(1).strip() + " " + f.get(2).strip(), TIME)
              .atZone(context.zone())
              .toInstant();
    } catch (DateTimeException e) {
      throw new MalformedException("windows_dhcp_bad_time");
    }
    String ipText = Csv.at(f, 4);
    InetAddress ip = ipText == null ? null : AddressText.parseIp(ipText);
    String macText = Csv.at(f, 6);
    String mac = macText == null ? null : Macs.normalize(macText);
    if (kind == Kind.ACK && (ip == null || mac == null)) {
      throw new MalformedException("windows_dhcp_lease_without_address");
    }
    return new LeaseObservation(time, ip, mac, Csv.at(f, 5), kind, null, VENDOR, line);
  }
}
