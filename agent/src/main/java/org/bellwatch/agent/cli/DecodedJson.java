package org.bellwatch.agent.cli;

import static org.bellwatch.agent.util.JsonOut.ascii;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsRecord;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.util.JsonOut;

/**
 * The "Decoded messages" JSON shape of DESIGN.md ({@code bellwatch decode --out}): one object per
 * DNS or DHCP message, snake_case keys in a fixed order, every key always present, null when
 * unknown. The keys and punctuation are encoded once; at line rate, a generator's bookkeeping per
 * call or a BigDecimal per time would cost more than decoding the message.
 */
public final class DecodedJson {
  private static final byte[] TIME = ascii("{\"time\":");
  private static final byte[] PROTO_DNS = ascii(",\"proto\":\"dns\",\"src\":");
  private static final byte[] PROTO_DHCP = ascii(",\"proto\":\"dhcp\",\"src\":");
  private static final byte[] DST = ascii(",\"dst\":");
  private static final byte[] SPORT = ascii(",\"sport\":");
  private static final byte[] DPORT = ascii(",\"dport\":");
  private static final byte[] TRANSPORT = ascii(",\"transport\":");
  private static final byte[] ID = ascii(",\"id\":");
  private static final byte[] RESPONSE = ascii(",\"response\":");
  private static final byte[] OPCODE = ascii(",\"opcode\":");
  private static final byte[] RCODE = ascii(",\"rcode\":");
  private static final byte[] QNAME = ascii(",\"qname\":");
  private static final byte[] QTYPE = ascii(",\"qtype\":");
  private static final byte[] ANSWERS = ascii(",\"answers\":[");
  private static final byte[] ANSWER_NAME = ascii("{\"name\":");
  private static final byte[] NEXT_ANSWER_NAME = ascii(",{\"name\":");
  private static final byte[] TYPE = ascii(",\"type\":");
  private static final byte[] TTL = ascii(",\"ttl\":");
  private static final byte[] DATA = ascii(",\"data\":");
  private static final byte[] END_ANSWERS = ascii("]}");
  private static final byte[] XID = ascii(",\"xid\":");
  private static final byte[] MSG_TYPE = ascii(",\"msg_type\":");
  private static final byte[] CHADDR = ascii(",\"chaddr\":");
  private static final byte[] CIADDR = ascii(",\"ciaddr\":");
  private static final byte[] YIADDR = ascii(",\"yiaddr\":");
  private static final byte[] GIADDR = ascii(",\"giaddr\":");
  private static final byte[] REQUESTED_IP = ascii(",\"requested_ip\":");
  private static final byte[] LEASE_SECS = ascii(",\"lease_secs\":");
  private static final byte[] SERVER_ID = ascii(",\"server_id\":");
  private static final byte[] HOSTNAME = ascii(",\"hostname\":");
  private static final byte[] CLIENT_ID = ascii(",\"client_id\":");
  private static final byte[] FQDN = ascii(",\"fqdn\":");
  private static final byte[] VENDOR_CLASS = ascii(",\"vendor_class\":");
  private static final byte[] PARAM_LIST = ascii(",\"param_list\":");
  private static final byte[] RELAY_CIRCUIT_ID = ascii(",\"relay_circuit_id\":");
  private static final byte[] RELAY_REMOTE_ID = ascii(",\"relay_remote_id\":");

  private DecodedJson() {}

  /** A DNS message: common keys, then id, response, opcode, rcode, qname, qtype, answers. */
  public static void dns(JsonOut out, UdpDatagram d, DnsMessage msg) throws IOException {
    common(out, d, PROTO_DNS);
    out.raw(ID).number(msg.id());
    out.raw(RESPONSE).bool(msg.response());
    out.raw(OPCODE).number(msg.opcode());
    out.raw(RCODE).number(msg.rcode());
    out.raw(QNAME).string(msg.qname());
    out.raw(QTYPE);
    if (msg.questions().isEmpty()) {
      out.nul();
    } else {
      out.number(msg.qtype());
    }
    out.raw(ANSWERS);
    List<DnsRecord> answers = msg.answers();
    for (int i = 0; i < answers.size(); i++) {
      DnsRecord r = answers.get(i);
      out.raw(i == 0 ? ANSWER_NAME : NEXT_ANSWER_NAME).string(r.name());
      out.raw(TYPE).number(r.type());
      out.raw(TTL).number(r.ttl());
      out.raw(DATA).string(r.data()).raw('}');
    }
    out.raw(END_ANSWERS);
  }

  /** A DHCP message: common keys, then the DHCP keys of DESIGN.md in their documented order. */
  public static void dhcp(JsonOut out, UdpDatagram d, DhcpMessage msg) throws IOException {
    common(out, d, PROTO_DHCP);
    out.raw(XID).number(msg.xid());
    out.raw(MSG_TYPE).number(msg.msgType());
    out.raw(CHADDR).string(msg.chaddr());
    address(out.raw(CIADDR), msg.ciaddr());
    address(out.raw(YIADDR), msg.yiaddr());
    address(out.raw(GIADDR), msg.giaddr());
    address(out.raw(REQUESTED_IP), msg.requestedIp());
    out.raw(LEASE_SECS);
    if (msg.leaseSecs() == null) {
      out.nul();
    } else {
      out.number(msg.leaseSecs());
    }
    address(out.raw(SERVER_ID), msg.serverId());
    out.raw(HOSTNAME).string(msg.hostname());
    out.raw(CLIENT_ID).string(msg.clientId());
    out.raw(FQDN).string(msg.fqdn());
    out.raw(VENDOR_CLASS).string(msg.vendorClass());
    out.raw(PARAM_LIST);
    if (msg.paramList() == null) {
      out.nul();
    } else {
      out.raw('[');
      List<Integer> params = msg.paramList();
      for (int i = 0; i < params.size(); i++) {
        if (i > 0) {
          out.raw(',');
        }
        out.number(params.get(i));
      }
      out.raw(']');
    }
    out.raw(RELAY_CIRCUIT_ID).string(msg.relayCircuitId());
    out.raw(RELAY_REMOTE_ID).string(msg.relayRemoteId());
    out.raw('}');
  }

  /**
   * An address as {@link AddressText#address} writes it; IPv4 (nearly all) without making a string.
   */
  private static void address(JsonOut out, InetAddress a) throws IOException {
    if (a instanceof Inet4Address) {
      out.ipv4(
          a.hashCode()); // an Inet4Address's hash code is its address (JDK since 1.0, unchanged)
    } else {
      out.string(AddressText.address(a));
    }
  }

  /**
   * "time" as epoch seconds with exactly six decimals (no float rounding), then proto and
   * addressing.
   */
  private static void common(JsonOut out, UdpDatagram d, byte[] proto) throws IOException {
    long micros = d.epochMicros();
    out.raw(TIME)
        .number(Math.floorDiv(micros, 1_000_000L))
        .raw('.')
        .zeroPadded(Math.floorMod(micros, 1_000_000L), 6);
    address(out.raw(proto), d.src());
    address(out.raw(DST), d.dst());
    out.raw(SPORT).number(d.sport());
    out.raw(DPORT).number(d.dport());
    out.raw(TRANSPORT).string(d.transport());
  }
}
