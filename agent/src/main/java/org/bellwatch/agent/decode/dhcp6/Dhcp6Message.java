package org.bellwatch.agent.decode.dhcp6;

import java.net.InetAddress;
import java.util.List;

/**
 * A decoded DHCPv6 message (RFC 8415 sections 8 and 9): for a relayed message, the client or server
 * message inside every Relay-Forward / Relay-Reply layer, with the layers in {@code relays}. Absent
 * values are null.
 *
 * @param msgType the innermost message's type (1 SOLICIT ... 11 INFORMATION-REQUEST; section 7.3)
 * @param outerType the type on the wire: {@link #RELAY_FORW} or {@link #RELAY_REPL} when relayed,
 *     else {@code msgType}
 * @param transactionId the innermost message's 24-bit transaction id
 * @param clientDuid Client Identifier option (1) as lower-case hex
 * @param duidLinkAddr the link-layer address inside a DUID-LLT or DUID-LL of hardware type 1
 *     (Ethernet) (section 11.2, 11.4), colon hex; null for other DUIDs
 * @param clientLinkAddr Client Link-Layer Address option (79, RFC 6939) of Ethernet type, from the
 *     relay layer nearest the client
 * @param fqdn Client FQDN option (39, RFC 4704 section 4) domain name, no trailing dot
 * @param addresses IA Address options (5) inside IA_NA (3) and IA_TA (4), in message order
 * @param relays relay layers, outermost first; empty when not relayed
 */
public record Dhcp6Message(
    int msgType,
    int outerType,
    int transactionId,
    String clientDuid,
    String duidLinkAddr,
    String clientLinkAddr,
    String fqdn,
    List<IaAddress> addresses,
    List<Relay> relays) {

  public static final int SOLICIT = 1;
  public static final int ADVERTISE = 2;
  public static final int REQUEST = 3;
  public static final int CONFIRM = 4;
  public static final int RENEW = 5;
  public static final int REBIND = 6;
  public static final int REPLY = 7;
  public static final int RELEASE = 8;
  public static final int DECLINE = 9;
  public static final int RELAY_FORW = 12;
  public static final int RELAY_REPL = 13;

  public Dhcp6Message {
    addresses = List.copyOf(addresses);
    relays = List.copyOf(relays);
  }

  /** True for the messages a client sends (section 7.3): they come from the client's own link. */
  public boolean fromClient() {
    return msgType != ADVERTISE && msgType != REPLY && msgType != 10;
  }

  /**
   * One IA Address option (section 21.6) with the identity association that carries it.
   *
   * @param address the address
   * @param preferredSecs preferred lifetime
   * @param validSecs valid lifetime (0: the address is no longer the client's, section 18.2.10.1)
   * @param temporary carried in an IA_TA (section 21.5) rather than an IA_NA
   * @param iaid the IA's IAID
   */
  public record IaAddress(
      InetAddress address, long preferredSecs, long validSecs, boolean temporary, long iaid) {}

  /**
   * One relay layer (section 9).
   *
   * @param type {@link #RELAY_FORW} or {@link #RELAY_REPL}
   * @param hopCount hop count
   * @param linkAddress the link the client is on (may be unspecified)
   * @param peerAddress the client or relay the message came from
   * @param interfaceId Interface-Id option (18, section 21.18): printable text as is, else hex
   * @param remoteId Remote-Id option (37, RFC 4649 section 3): enterprise number, ':', then the id
   *     as printable text or hex
   */
  public record Relay(
      int type,
      int hopCount,
      InetAddress linkAddress,
      InetAddress peerAddress,
      String interfaceId,
      String remoteId) {}
}
