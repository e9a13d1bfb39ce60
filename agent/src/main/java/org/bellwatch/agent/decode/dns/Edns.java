package org.bellwatch.agent.decode.dns;

import java.util.List;

/**
 * The EDNS(0) OPT pseudo-record of a message (RFC 6891 section 6.1), decoded.
 *
 * @param udpPayloadSize the requestor's UDP payload size (the OPT CLASS)
 * @param extendedRcode the upper 8 bits of the 12-bit RCODE (the header holds the lower 4)
 * @param version EDNS version
 * @param dnssecOk the DO bit (RFC 3225)
 * @param options the options in wire order, data as lower-case hex
 * @param clientSubnet the Client Subnet option (RFC 7871), or null when absent or malformed
 * @param optionsMalformed true when the option list does not frame (an option runs past RDLENGTH);
 *     the options before the damage are kept
 */
public record Edns(
    int udpPayloadSize,
    int extendedRcode,
    int version,
    boolean dnssecOk,
    List<Option> options,
    ClientSubnet clientSubnet,
    boolean optionsMalformed) {

  public static final int OPTION_COOKIE = 10;
  public static final int OPTION_CLIENT_SUBNET = 8;

  /** The full 12-bit RCODE of a message carrying this OPT record (RFC 6891 section 6.1.3). */
  public int fullRcode(int headerRcode) {
    return (extendedRcode << 4) | (headerRcode & 0xf);
  }

  /** One option: code and data as lower-case hex. */
  public record Option(int code, String data) {}

  /**
   * RFC 7871 section 6.
   *
   * @param family 1 IPv4, 2 IPv6 (address family numbers)
   * @param sourcePrefix SOURCE PREFIX-LENGTH
   * @param scopePrefix SCOPE PREFIX-LENGTH (0 in queries)
   * @param address the prefix's address in text form, the bits past the prefix zero
   */
  public record ClientSubnet(int family, int sourcePrefix, int scopePrefix, String address) {}
}
