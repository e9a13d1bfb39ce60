package org.bellwatch.agent.decode.dns;

import java.util.List;

/**
 * A decoded DNS message (RFC 1035 section 4.1).
 *
 * @param id message id
 * @param response QR bit
 * @param opcode OPCODE
 * @param rcode RCODE (low 4 bits of the header; extended RCODE from OPT is not folded in here)
 * @param questions the question section
 * @param answers the answer section
 * @param authorities the authority section
 * @param additionals the additional section (OPT pseudo-records included)
 * @param edns the first OPT record of the additional section, decoded (RFC 6891), or null
 */
public record DnsMessage(
    int id,
    boolean response,
    int opcode,
    int rcode,
    List<DnsQuestion> questions,
    List<DnsRecord> answers,
    List<DnsRecord> authorities,
    List<DnsRecord> additionals,
    Edns edns) {

  /** A message without EDNS. */
  public DnsMessage(
      int id,
      boolean response,
      int opcode,
      int rcode,
      List<DnsQuestion> questions,
      List<DnsRecord> answers,
      List<DnsRecord> authorities,
      List<DnsRecord> additionals) {
    this(id, response, opcode, rcode, questions, answers, authorities, additionals, null);
  }

  public static final int RCODE_NOERROR = 0;
  public static final int RCODE_NXDOMAIN = 3;

  /** The first question's name, or null when the message has none. */
  public String qname() {
    return questions.isEmpty() ? null : questions.get(0).name();
  }

  /** The first question's type, or -1 when the message has none. */
  public int qtype() {
    return questions.isEmpty() ? -1 : questions.get(0).type();
  }
}
