package org.bellwatch.agent.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Unbound snippet doing its job in a real Unbound on loopback: placed above a blocking RPZ
 * clause, the tagged passthru clause answers the exempted range (127.0.0.1) for the site and its
 * subdomains, while another client (127.0.0.2) stays blocked and the exempted range stays blocked
 * from another site. Unbound runs in the foreground on a free port with every file in a temporary
 * folder; the sites are served by auth-zones, so nothing leaves the machine.
 */
class UnboundExemptionTest {
  private static final String SOA =
      "$TTL 300\n@ IN SOA localhost. hostmaster.localhost. 1 3600 600 86400 300\n"
          + "@ IN NS localhost.\n";
  private static final int NOERROR = 0;
  private static final int NXDOMAIN = 3;

  @TempDir Path dir;

  record Answer(int rcode, String lastAddress) {}

  @Test
  void theTaggedPassthruClauseUnblocksTheSiteForItsRangeOnly() throws Exception {
    String unbound = FilterPrograms.require("unbound");
    Exemption e =
        new Exemption(
            "example.com",
            null,
            List.of("127.0.0.1/32"),
            List.of(),
            null,
            "Biology",
            "bellwatch review example.com 2026-09-15");
    Path policy = write("policy.rpz", RpzZone.file(e));
    Path block =
        write(
            "block.rpz", SOA + "example.com CNAME .\n*.example.com CNAME .\nexample.org CNAME .\n");
    Path com = write("example.com.zone", SOA + "@ A 192.0.2.1\nwww A 192.0.2.2\n");
    Path org = write("example.org.zone", SOA + "@ A 192.0.2.3\n");
    int port;
    try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Path conf =
        write(
            "unbound.conf",
            "server:\n    port: "
                + port
                + "\n    interface: 127.0.0.1\n    do-tcp: no\n"
                + "    access-control: 127.0.0.0/8 allow\n    username: \"\"\n    chroot: \"\"\n    directory: \""
                + dir
                + "\"\n    pidfile: \"\"\n    use-syslog: no\n    logfile: \"\"\n    minimal-responses: yes\n"
                + "    module-config: \"respip validator iterator\"\n"
                + UnboundRpzSnippet.config(e, policy.toString())
                + "rpz:\n    name: block.test\n    zonefile: \""
                + block
                + "\"\n"
                + authZone("example.com", com)
                + authZone("example.org", org));
    Process p =
        new ProcessBuilder(unbound, "-d", "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("unbound.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (query("127.0.0.2", port, "example.org") == null) {
        assertThat(p.isAlive()).as(Files.readString(dir.resolve("unbound.log"))).isTrue();
        assertThat(System.nanoTime()).as("unbound answers within 20 s").isLessThan(deadline);
      }

      assertThat(query("127.0.0.1", port, "example.com"))
          .isEqualTo(new Answer(NOERROR, "192.0.2.1"));
      assertThat(query("127.0.0.1", port, "www.example.com"))
          .isEqualTo(new Answer(NOERROR, "192.0.2.2"));
      assertThat(query("127.0.0.2", port, "example.com").rcode()).isEqualTo(NXDOMAIN);
      assertThat(query("127.0.0.2", port, "www.example.com").rcode()).isEqualTo(NXDOMAIN);
      assertThat(query("127.0.0.1", port, "example.org").rcode()).isEqualTo(NXDOMAIN);
    } finally {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static String authZone(String name, Path file) {
    return "auth-zone:\n    name: "
        + name
        + "\n    zonefile: \""
        + file
        + "\"\n    for-downstream: yes\n"
        + "    for-upstream: yes\n";
  }

  /**
   * An A query from {@code source}: the response code and the last four bytes as an address (the
   * answer's, in a reply of one answer and nothing else); null when no reply came in 500 ms.
   */
  private static Answer query(String source, int port, String name) throws Exception {
    ByteArrayOutputStream q = new ByteArrayOutputStream();
    q.writeBytes(new byte[] {0x4b, 0x57, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      q.write(label.length());
      q.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
    }
    q.writeBytes(new byte[] {0, 0, 1, 0, 1});
    try (DatagramSocket socket =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName(source), 0))) {
      socket.setSoTimeout(500);
      byte[] query = q.toByteArray();
      socket.send(
          new DatagramPacket(query, query.length, InetAddress.getByName("127.0.0.1"), port));
      byte[] buf = new byte[512];
      DatagramPacket reply = new DatagramPacket(buf, buf.length);
      socket.receive(reply);
      int n = reply.getLength();
      assertThat(n).isGreaterThanOrEqualTo(12);
      assertThat(new byte[] {buf[0], buf[1]}).isEqualTo(new byte[] {0x4b, 0x57});
      return new Answer(
          buf[3] & 0x0f,
          InetAddress.getByAddress(Arrays.copyOfRange(buf, n - 4, n)).getHostAddress());
    } catch (SocketTimeoutException notYet) {
      return null;
    }
  }
}
