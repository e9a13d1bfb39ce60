package org.bellwatch.agent.decode.dns;

/**
 * One resource record (RFC 1035 section 4.1.3).
 *
 * @param name owner name, case kept, no trailing dot
 * @param type TYPE
 * @param rclass CLASS (for OPT: the requestor's UDP payload size)
 * @param ttl TTL in seconds, unsigned
 * @param data the RDATA in presentation form: an address for A/AAAA, a name for CNAME/NS/PTR, "pref
 *     name" for MX, quoted strings for TXT; for unknown types "\# len hex" (RFC 3597)
 */
public record DnsRecord(String name, int type, int rclass, long ttl, String data) {
  public static final int TYPE_A = 1;
  public static final int TYPE_NS = 2;
  public static final int TYPE_CNAME = 5;
  public static final int TYPE_SOA = 6;
  public static final int TYPE_PTR = 12;
  public static final int TYPE_MX = 15;
  public static final int TYPE_TXT = 16;
  public static final int TYPE_AAAA = 28;
  public static final int TYPE_SRV = 33;
  public static final int TYPE_OPT = 41;
  public static final int TYPE_SVCB = 64;
  public static final int TYPE_HTTPS = 65;
}
