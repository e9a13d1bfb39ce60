package org.bellwatch.agent.parse.vendors;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.bellwatch.agent.parse.LeaseLogParser;
import org.bellwatch.agent.parse.LogParser;
import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.bind9.Bind9Parser;
import org.bellwatch.agent.parse.cef.CefParser;
import org.bellwatch.agent.parse.dnsmasq.DnsmasqParser;
import org.bellwatch.agent.parse.dnsmasqdhcp.DnsmasqDhcpParser;
import org.bellwatch.agent.parse.e2guardian.E2guardianParser;
import org.bellwatch.agent.parse.fortigate.FortigateParser;
import org.bellwatch.agent.parse.generic.GenericParser;
import org.bellwatch.agent.parse.goguardiancsv.GoGuardianCsvParser;
import org.bellwatch.agent.parse.infoblox.InfobloxParser;
import org.bellwatch.agent.parse.iscdhcpd.IscDhcpdParser;
import org.bellwatch.agent.parse.kea.KeaParser;
import org.bellwatch.agent.parse.kealeases.KeaLeaseFileParser;
import org.bellwatch.agent.parse.leef.LeefParser;
import org.bellwatch.agent.parse.lightspeedcsv.LightspeedCsvParser;
import org.bellwatch.agent.parse.meraki.MerakiParser;
import org.bellwatch.agent.parse.panos.PanosParser;
import org.bellwatch.agent.parse.pfblockerng.PfblockerngParser;
import org.bellwatch.agent.parse.securlycsv.SecurlyCsvParser;
import org.bellwatch.agent.parse.sonicwall.SonicwallParser;
import org.bellwatch.agent.parse.sophosutm.SophosUtmParser;
import org.bellwatch.agent.parse.sophosxg.SophosXgParser;
import org.bellwatch.agent.parse.squid.SquidNativeParser;
import org.bellwatch.agent.parse.squidguard.SquidGuardParser;
import org.bellwatch.agent.parse.umbrelladns.UmbrellaDnsParser;
import org.bellwatch.agent.parse.umbrellaproxy.UmbrellaProxyParser;
import org.bellwatch.agent.parse.unbound.UnboundParser;
import org.bellwatch.agent.parse.windowsdhcp.WindowsDhcpParser;
import org.bellwatch.agent.parse.zscaler.ZscalerParser;

/**
 * Every supported log format, one line each: adding a vendor is one package, one line here, one
 * samples folder. Ids are stable: they appear in configuration ({@code logs.files[].vendor}) and in
 * metrics tags. A vendor yields either web-filter events ({@link #newParser}) or DHCP lease
 * observations ({@link #newLeaseParser}), never both.
 */
public enum Vendor {
  // Web-filter logs.
  SQUID("squid", SquidNativeParser::new, null),
  /**
   * squidGuard's own log of the requests it redirected to its block page: the category squid's line
   * lacks.
   */
  SQUIDGUARD("squidguard", SquidGuardParser::new, null),
  E2GUARDIAN("e2guardian", E2guardianParser::new, null),
  FORTIGATE("fortigate", FortigateParser::new, null),
  PANOS("panos", PanosParser::new, null),
  SOPHOS_XG("sophos_xg", SophosXgParser::new, null),
  SOPHOS_UTM("sophos_utm", SophosUtmParser::new, null),
  MERAKI("meraki", MerakiParser::new, null),
  SONICWALL("sonicwall", SonicwallParser::new, null),
  UMBRELLA_DNS("umbrella_dns", UmbrellaDnsParser::new, null),
  UMBRELLA_PROXY("umbrella_proxy", UmbrellaProxyParser::new, null),
  ZSCALER("zscaler", ZscalerParser::new, null),
  PFBLOCKERNG("pfblockerng", PfblockerngParser::new, null),
  DNSMASQ("dnsmasq", DnsmasqParser::new, null),
  UNBOUND("unbound", UnboundParser::new, null),
  BIND9("bind9", Bind9Parser::new, null),
  CEF("cef", CefParser::new, null),
  LEEF("leef", LeefParser::new, null),
  /**
   * Anything else, described in configuration ({@code generic:}): a regex with named groups, or
   * JSON lines.
   */
  GENERIC("generic", GenericParser::new, null),
  // Cloud filters that export CSV reports only: an import mapping per product.
  LIGHTSPEED_CSV("lightspeed_csv", LightspeedCsvParser::new, null),
  GOGUARDIAN_CSV("goguardian_csv", GoGuardianCsvParser::new, null),
  SECURLY_CSV("securly_csv", SecurlyCsvParser::new, null),
  // DHCP server logs.
  ISC_DHCPD("isc_dhcpd", null, IscDhcpdParser::new),
  KEA("kea", null, KeaParser::new),
  KEA_LEASES("kea_leases", null, KeaLeaseFileParser::new),
  WINDOWS_DHCP("windows_dhcp", null, WindowsDhcpParser::new),
  DNSMASQ_DHCP("dnsmasq_dhcp", null, DnsmasqDhcpParser::new),
  INFOBLOX("infoblox", null, InfobloxParser::new);

  /** What a vendor's log tells us. */
  public enum Kind {
    FILTER,
    LEASE
  }

  private final String id;
  private final Function<ParseContext, LogParser> filter;
  private final Function<ParseContext, LeaseLogParser> lease;

  Vendor(
      String id,
      Function<ParseContext, LogParser> filter,
      Function<ParseContext, LeaseLogParser> lease) {
    this.id = id;
    this.filter = filter;
    this.lease = lease;
  }

  public String id() {
    return id;
  }

  public Kind kind() {
    return filter != null ? Kind.FILTER : Kind.LEASE;
  }

  /**
   * A new web-filter parser; parsers may keep bounded state between lines, so make one per source.
   */
  public LogParser newParser(ParseContext context) {
    if (filter == null) {
      throw new IllegalStateException(id + " is a DHCP server log, not a web-filter log");
    }
    return filter.apply(context);
  }

  /** A new DHCP server log parser. */
  public LeaseLogParser newLeaseParser(ParseContext context) {
    if (lease == null) {
      throw new IllegalStateException(id + " is a web-filter log, not a DHCP server log");
    }
    return lease.apply(context);
  }

  public static Vendor byId(String id) {
    for (Vendor v : values()) {
      if (v.id.equals(id)) {
        return v;
      }
    }
    return null;
  }

  public static List<String> ids() {
    return Arrays.stream(values()).map(Vendor::id).toList();
  }
}
