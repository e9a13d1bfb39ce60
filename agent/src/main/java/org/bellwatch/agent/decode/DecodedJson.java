package org.bellwatch.agent.decode;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsRecord;

/**
 * The "Decoded messages" JSON shape of DESIGN.md ({@code bellwatch decode --out}): one object per DNS or
 * DHCP message, snake_case keys, every key always present, null when unknown. Written straight to a
 * streaming generator: at line rate a tree or a BigDecimal per message would cost more than decoding.
 */
public final class DecodedJson {
  private DecodedJson() {
  }

  /** A DNS message: common keys, then id, response, opcode, rcode, qname, qtype, answers. */
  public static void dns(JsonGenerator g, UdpDatagram d, DnsMessage msg) throws IOException {
    g.writeStartObject();
    common(g, d, "dns");
    g.writeNumberField("id", msg.id());
    g.writeBooleanField("response", msg.response());
    g.writeNumberField("opcode", msg.opcode());
    g.writeNumberField("rcode", msg.rcode());
    g.writeStringField("qname", msg.qname());
    g.writeFieldName("qtype");
    if (msg.questions().isEmpty()) {
      g.writeNull();
    } else {
      g.writeNumber(msg.qtype());
    }
    g.writeArrayFieldStart("answers");
    for (DnsRecord r : msg.answers()) {
      g.writeStartObject();
      g.writeStringField("name", r.name());
      g.writeNumberField("type", r.type());
      g.writeNumberField("ttl", r.ttl());
      g.writeStringField("data", r.data());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /** A DHCP message: common keys, then the DHCP keys of DESIGN.md in their documented order. */
  public static void dhcp(JsonGenerator g, UdpDatagram d, DhcpMessage msg) throws IOException {
    g.writeStartObject();
    common(g, d, "dhcp");
    g.writeNumberField("xid", msg.xid());
    g.writeNumberField("msg_type", msg.msgType());
    g.writeStringField("chaddr", msg.chaddr());
    g.writeStringField("ciaddr", TextForms.address(msg.ciaddr()));
    g.writeStringField("yiaddr", TextForms.address(msg.yiaddr()));
    g.writeStringField("giaddr", TextForms.address(msg.giaddr()));
    g.writeStringField("requested_ip", TextForms.address(msg.requestedIp()));
    g.writeFieldName("lease_secs");
    if (msg.leaseSecs() == null) {
      g.writeNull();
    } else {
      g.writeNumber(msg.leaseSecs());
    }
    g.writeStringField("server_id", TextForms.address(msg.serverId()));
    g.writeStringField("hostname", msg.hostname());
    g.writeStringField("client_id", msg.clientId());
    g.writeStringField("fqdn", msg.fqdn());
    g.writeStringField("vendor_class", msg.vendorClass());
    g.writeFieldName("param_list");
    if (msg.paramList() == null) {
      g.writeNull();
    } else {
      g.writeStartArray();
      for (int p : msg.paramList()) {
        g.writeNumber(p);
      }
      g.writeEndArray();
    }
    g.writeStringField("relay_circuit_id", msg.relayCircuitId());
    g.writeStringField("relay_remote_id", msg.relayRemoteId());
    g.writeEndObject();
  }

  private static void common(JsonGenerator g, UdpDatagram d, String proto) throws IOException {
    g.writeFieldName("time");
    g.writeNumber(seconds(d.epochMicros()));
    g.writeStringField("proto", proto);
    g.writeStringField("src", TextForms.address(d.src()));
    g.writeStringField("dst", TextForms.address(d.dst()));
    g.writeNumberField("sport", d.sport());
    g.writeNumberField("dport", d.dport());
    g.writeStringField("transport", d.transport());
  }

  /** Epoch seconds with exactly six decimals, as the contract writes them (no float rounding). */
  static String seconds(long micros) {
    long secs = Math.floorDiv(micros, 1_000_000L);
    long frac = Math.floorMod(micros, 1_000_000L);
    String f = Long.toString(frac);
    return secs + "." + "000000".substring(f.length()) + f;
  }
}
