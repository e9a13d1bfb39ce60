package org.bellwatch.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.decode.dhcp.DhcpMessage;
import org.bellwatch.agent.decode.dns.DnsMessage;
import org.bellwatch.agent.decode.dns.DnsQuestion;
import org.bellwatch.agent.decode.dns.DnsRecord;
import org.bellwatch.agent.util.JsonOut;
import org.junit.jupiter.api.Test;

class DecodedJsonTest {

  private static UdpDatagram datagram(long micros, String src, String dst, int sport, int dport)
      throws Exception {
    return new UdpDatagram(
        micros,
        InetAddress.getByName(src),
        InetAddress.getByName(dst),
        sport,
        dport,
        "udp",
        ByteBuffer.allocate(0));
  }

  interface Writing {
    void write(JsonOut out) throws Exception;
  }

  static String render(Writing w) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonOut out = new JsonOut(bytes, 256);
    w.write(out);
    out.flush();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String time(long micros) throws Exception {
    DnsMessage msg = new DnsMessage(1, false, 0, 0, List.of(), List.of(), List.of(), List.of());
    String json =
        render(g -> DecodedJson.dns(g, datagram(micros, "10.0.0.1", "10.0.0.2", 1, 53), msg));
    return json.substring("{\"time\":".length(), json.indexOf(','));
  }

  @Test
  void timeKeepsSixDecimalsForEveryInstantIncludingBeforeTheEpoch() throws Exception {
    assertThat(time(1_700_000_000_000_100L)).isEqualTo("1700000000.000100");
    assertThat(time(5)).isEqualTo("0.000005");
    assertThat(time(-1)).isEqualTo("-1.999999");
  }

  @Test
  void everyAddressIsWrittenInItsTextForm() throws Exception {
    java.util.Random r = new java.util.Random(3);
    DnsMessage msg = new DnsMessage(1, false, 0, 0, List.of(), List.of(), List.of(), List.of());
    for (int i = 0; i < 2_000; i++) {
      byte[] src = new byte[4];
      byte[] dst = new byte[4];
      r.nextBytes(src);
      r.nextBytes(dst);
      InetAddress s = InetAddress.getByAddress(src);
      InetAddress d = InetAddress.getByAddress(dst);
      String json =
          render(
              g ->
                  DecodedJson.dns(
                      g, new UdpDatagram(0, s, d, 1, 53, "udp", ByteBuffer.allocate(0)), msg));

      // The JDK's dotted quad is the same text, made another way.
      assertThat(json)
          .contains(
              ",\"src\":\"" + s.getHostAddress() + "\",\"dst\":\"" + d.getHostAddress() + "\",");
    }
    InetAddress v6 = InetAddress.getByName("2001:0db8:0000:0001:0000:0000:0000:00ff");
    String json =
        render(
            g ->
                DecodedJson.dns(
                    g, new UdpDatagram(0, v6, v6, 1, 53, "udp", ByteBuffer.allocate(0)), msg));
    assertThat(json).contains(",\"src\":\"2001:db8:0:1::ff\",\"dst\":\"2001:db8:0:1::ff\",");
  }

  @Test
  void aDnsResponseHasExactlyTheDocumentedKeysWithMicrosecondTime() throws Exception {
    DnsMessage msg =
        new DnsMessage(
            0x6465,
            true,
            0,
            3,
            List.of(new DnsQuestion("Ads.Example", 1, 1)),
            List.of(new DnsRecord("Ads.Example", 5, 1, 4294967295L, "sink.example")),
            List.of(),
            List.of());
    String json =
        render(
            g ->
                DecodedJson.dns(
                    g,
                    datagram(
                        1_700_000_000_000_100L, "2001:0db8:0:0:0:0:0:1", "10.0.0.53", 5353, 53),
                    msg));

    assertThat(json)
        .isEqualTo(
            "{\"time\":1700000000.000100,\"proto\":\"dns\",\"src\":\"2001:db8::1\","
                + "\"dst\":\"10.0.0.53\",\"sport\":5353,\"dport\":53,\"transport\":\"udp\",\"id\":25701,"
                + "\"response\":true,\"opcode\":0,\"rcode\":3,\"qname\":\"Ads.Example\",\"qtype\":1,"
                + "\"answers\":[{\"name\":\"Ads.Example\",\"type\":5,\"ttl\":4294967295,"
                + "\"data\":\"sink.example\"}]}");
  }

  @Test
  void aDnsMessageWithoutQuestionsHasNullQnameAndQtype() throws Exception {
    DnsMessage msg = new DnsMessage(1, false, 5, 0, List.of(), List.of(), List.of(), List.of());
    String json = render(g -> DecodedJson.dns(g, datagram(0, "10.0.0.1", "10.0.0.2", 1, 53), msg));

    assertThat(json)
        .isEqualTo(
            "{\"time\":0.000000,\"proto\":\"dns\",\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\","
                + "\"sport\":1,\"dport\":53,\"transport\":\"udp\",\"id\":1,\"response\":false,\"opcode\":5,\"rcode\":0,"
                + "\"qname\":null,\"qtype\":null,\"answers\":[]}");
  }

  @Test
  void aDhcpMessageHasEveryKeyAndNullsForWhatIsAbsent() throws Exception {
    DhcpMessage msg =
        new DhcpMessage(
            1,
            0xdeadbeefL,
            3,
            "90:b1:1c:99:49:29",
            null,
            null,
            null,
            InetAddress.getByName("192.168.1.20"),
            null,
            InetAddress.getByName("192.168.1.1"),
            "lab-101",
            "0190b11c994929",
            null,
            "MSFT 5.0",
            List.of(1, 3, 6),
            "Gi1/0/1",
            null,
            null,
            null);
    String json =
        render(
            g ->
                DecodedJson.dhcp(
                    g,
                    datagram(1_370_200_442_323_173L, "0.0.0.0", "255.255.255.255", 68, 67),
                    msg));

    assertThat(json)
        .isEqualTo(
            "{\"time\":1370200442.323173,\"proto\":\"dhcp\",\"src\":\"0.0.0.0\","
                + "\"dst\":\"255.255.255.255\",\"sport\":68,\"dport\":67,\"transport\":\"udp\","
                + "\"xid\":3735928559,\"msg_type\":3,\"chaddr\":\"90:b1:1c:99:49:29\",\"ciaddr\":null,"
                + "\"yiaddr\":null,\"giaddr\":null,\"requested_ip\":\"192.168.1.20\",\"lease_secs\":null,"
                + "\"server_id\":\"192.168.1.1\",\"hostname\":\"lab-101\",\"client_id\":\"0190b11c994929\","
                + "\"fqdn\":null,\"vendor_class\":\"MSFT 5.0\",\"param_list\":[1,3,6],"
                + "\"relay_circuit_id\":\"Gi1/0/1\",\"relay_remote_id\":null}");
  }
}
