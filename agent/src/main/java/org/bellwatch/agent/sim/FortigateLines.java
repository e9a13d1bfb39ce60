package org.bellwatch.agent.sim;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * FortiGate log lines as the firewall sends them over syslog ({@code <PRI>} and FortiOS key=value
 * fields, as in the FortiOS Log Message Reference): web-filter blocks (log ids 0316013056, blocked
 * by FortiGuard category, and 0315012544, blocked by the static URL filter) and FSSO logons
 * (0102043014, an event log, not a web-filter record). Times are whole seconds in the school's zone
 * with its offset in {@code tz}.
 */
final class FortigateLines {

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
  private static final String DEVICE = "devname=\"bwms-fw01\" devid=\"FG100FTK19000001\"";

  private FortigateLines() {}

  /**
   * A blocked HTTPS request to {@code site.host() + path}; {@code user} as FSSO logged it (null: no
   * user learned for the address), {@code person} the roster's entry for it (for the user group),
   * or null.
   */
  static String blocked(
      SplittableRandom rnd,
      long micros,
      Network.Device d,
      TermCatalog.Site site,
      String path,
      String user,
      School.Person person) {
    boolean byCategory = site.eventType().equals("ftgd_blk");
    String who =
        user == null
            ? ""
            : " user=\""
                + user
                + "\" group=\""
                + (person != null && person.role().equals("teacher") ? "Staff" : "Students")
                + "\"";
    int host = site.host().hashCode();
    String dst =
        "104."
            + (16 + Math.floorMod(host, 16))
            + "."
            + Math.floorMod(host >> 4, 250)
            + "."
            + (1 + Math.floorMod(host >> 12, 250));
    return "<188>"
        + header(micros)
        + " logid=\""
        + (byCategory ? "0316013056" : "0315012544")
        + "\" type=\"utm\" subtype=\"webfilter\" eventtype=\""
        + site.eventType()
        + "\" level=\"warning\" vd=\"root\" policyid="
        + (d.kind == Network.Kind.TEACHER_LAPTOP ? 7 : 12)
        + " sessionid="
        + (1 + rnd.nextInt(1 << 28))
        + who
        + " srcip="
        + Wire.ipString(d.ip)
        + " srcport="
        + (32768 + rnd.nextInt(28232))
        + " srcintf=\""
        + (d.kind == Network.Kind.TEACHER_LAPTOP ? "staff" : "classroom")
        + "\" srcintfrole=\"lan\" dstip="
        + dst
        + " dstport=443 dstintf=\"wan1\" dstintfrole=\"wan\" proto=6"
        + " service=\"HTTPS\" hostname=\""
        + site.host()
        + "\" profile=\""
        + (d.kind == Network.Kind.TEACHER_LAPTOP ? "staff-web" : "students-web")
        + "\" action=\"blocked\" reqtype=\"direct\" url=\""
        + path
        + "\" sentbyte="
        + (400 + rnd.nextInt(1200))
        + " rcvdbyte=0 direction=\"outgoing\" msg=\""
        + (byCategory
            ? "URL belongs to a denied category in policy"
            : "URL was blocked because it is in the URL filter list")
        + "\" method=\"domain\" catdesc=\""
        + site.category()
        + "\"";
  }

  /** The FSSO agent tells the firewall that {@code teacher} signed in on the laptop. */
  static String logon(long micros, Network.Device d, School.Person teacher) {
    return "<190>"
        + header(micros)
        + " logid=\"0102043014\" type=\"event\" subtype=\"user\" level=\"notice\""
        + " vd=\"root\" logdesc=\"FSSO logon authentication status\" srcip="
        + Wire.ipString(d.ip)
        + " user=\""
        + teacher.username()
        + "\" server=\"bwms-fsso\" action=\"FSSO-logon\" msg=\"FSSO-logon event from"
        + " bwms-fsso: user "
        + teacher.username()
        + " logged on "
        + Wire.ipString(d.ip)
        + "\"";
  }

  private static String header(long micros) {
    ZonedDateTime z = TermSimulator.instant(micros).atZone(SiteSimulator.ZONE);
    return "date="
        + DATE.format(z)
        + " time="
        + TIME.format(z)
        + " "
        + DEVICE
        + " eventtime="
        + Math.floorDiv(micros, 1_000_000L) * 1_000_000_000L
        + " tz=\""
        + z.getOffset().getId().replace(":", "")
        + "\"";
  }
}
