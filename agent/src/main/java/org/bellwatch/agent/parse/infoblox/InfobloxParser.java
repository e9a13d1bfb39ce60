package org.bellwatch.agent.parse.infoblox;

import org.bellwatch.agent.parse.ParseContext;
import org.bellwatch.agent.parse.iscdhcpd.IscDhcpdParser;

/**
 * Infoblox NIOS DHCP syslog. NIOS runs an ISC-derived dhcpd, so the message grammar is {@link
 * IscDhcpdParser}'s; NIOS adds {@code relay}, {@code lease-duration}, {@code TransID}, {@code uid}
 * and {@code (RENEW)} after it, and its header may carry the member's address after the host name
 * ({@code infoblox.localdomain 10.0.0.1 dhcpd[7024]:}), which {@code SyslogHeader} skips.
 */
public final class InfobloxParser extends IscDhcpdParser {
  public static final String VENDOR = "infoblox";

  public InfobloxParser(ParseContext context) {
    super(context, VENDOR);
  }
}
