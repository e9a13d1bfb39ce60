package org.bellwatch.agent.decode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsRecord;

/**
 * The "Decoded messages" JSON shape of DESIGN.md ({@code bellwatch decode --out}): one object per DNS or
 * DHCP message, snake_case keys, every key always present, null when unknown.
 */
public final class DecodedJson {
  private DecodedJson() {
  }

  /** A DNS message: common keys, then id, response, opcode, rcode, qname, qtype, answers. */
  public static ObjectNode dns(ObjectMapper m, UdpDatagram d, DnsMessage msg) {
    ObjectNode o = common(m, d, "dns");
    o.put("id", msg.id());
    o.put("response", msg.response());
    o.put("opcode", msg.opcode());
    o.put("rcode", msg.rcode());
    o.put("qname", msg.qname());
    if (msg.questions().isEmpty()) {
      o.putNull("qtype");
    } else {
      o.put("qtype", msg.qtype());
    }
    ArrayNode answers = o.putArray("answers");
    for (DnsRecord r : msg.answers()) {
      ObjectNode a = answers.addObject();
      a.put("name", r.name());
      a.put("type", r.type());
      a.put("ttl", r.ttl());
      a.put("data", r.data());
    }
    return o;
  }

  /** A DHCP message: common keys, then the DHCP keys of DESIGN.md in their documented order. */
  public static ObjectNode dhcp(ObjectMapper m, UdpDatagram d, DhcpMessage msg) {
    ObjectNode o = common(m, d, "dhcp");
    o.put("xid", msg.xid());
    o.put("msg_type", msg.msgType());
    o.put("chaddr", msg.chaddr());
    o.put("ciaddr", TextForms.address(msg.ciaddr()));
    o.put("yiaddr", TextForms.address(msg.yiaddr()));
    o.put("giaddr", TextForms.address(msg.giaddr()));
    o.put("requested_ip", TextForms.address(msg.requestedIp()));
    o.put("lease_secs", msg.leaseSecs());
    o.put("server_id", TextForms.address(msg.serverId()));
    o.put("hostname", msg.hostname());
    o.put("client_id", msg.clientId());
    o.put("fqdn", msg.fqdn());
    o.put("vendor_class", msg.vendorClass());
    if (msg.paramList() == null) {
      o.putNull("param_list");
    } else {
      ArrayNode p = o.putArray("param_list");
      msg.paramList().forEach(p::add);
    }
    o.put("relay_circuit_id", msg.relayCircuitId());
    o.put("relay_remote_id", msg.relayRemoteId());
    return o;
  }

  private static ObjectNode common(ObjectMapper m, UdpDatagram d, String proto) {
    ObjectNode o = m.createObjectNode();
    // Built directly: the node factory may strip trailing zeros, and the contract is six decimals.
    o.set("time", DecimalNode.valueOf(BigDecimal.valueOf(d.epochMicros(), 6)));
    o.put("proto", proto);
    o.put("src", TextForms.address(d.src()));
    o.put("dst", TextForms.address(d.dst()));
    o.put("sport", d.sport());
    o.put("dport", d.dport());
    o.put("transport", d.transport());
    return o;
  }
}
