package org.bellwatch.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.decode.dhcp6.Dhcp6Message;
import org.bellwatch.agent.decode.nd.NdMessage;
import org.bellwatch.agent.event.AddressText;
import org.bellwatch.agent.event.Lease;
import org.junit.jupiter.api.Test;

class Ipv6BindingsTest {
  private static final Instant T = Instant.parse("2026-12-07T15:00:00Z");
  private static final String ROUTER = "02:66:00:00:00:01";
  private static final String CHROMEBOOK = "3c:07:54:aa:00:17";
  private final LeaseTable leases = new LeaseTable();
  private final List<String> changes = new ArrayList<>();
  private final Ipv6Bindings bindings =
      new Ipv6Bindings(leases, (ip, how) -> changes.add(ip + " " + how));

  private static InetAddress ip(String s) {
    return AddressText.parseIp(s);
  }

  private void routerAdvertises() {
    bindings.nd(
        T,
        ip("fe80::1"),
        new NdMessage(
            134,
            null,
            true,
            false,
            false,
            1800,
            ROUTER,
            null,
            List.of(new NdMessage.Prefix(ip("2001:db8:77::"), 64, true, true, 7200, 3600))),
        ROUTER);
  }

  @Test
  void aQueryForwardedByTheRouterNeverBindsTheAddressToTheRoutersMac() {
    routerAdvertises();
    bindings.query(T, ip("2001:db8:99::5"), ROUTER);
    assertThat(leases.at(ip("2001:db8:99::5"), T)).isNull();
    assertThat(changes).isEmpty();
  }

  @Test
  void behindARouterAnEui64AddressStillNamesItsDeviceWithTheUniversalLocalBitFlippedBack() {
    routerAdvertises();
    bindings.query(T, ip("2001:db8:99:0:3e07:54ff:feaa:17"), ROUTER);
    Lease l = leases.at(ip("2001:db8:99:0:3e07:54ff:feaa:17"), T);
    assertThat(l)
        .isEqualTo(
            new Lease(
                ip("2001:db8:99:0:3e07:54ff:feaa:17"),
                "3c:07:54:aa:00:17",
                null,
                null,
                T,
                T.plusSeconds(Ipv6Bindings.DEFAULT_LIFETIME_SECS),
                "EUI-64: 2001:db8:99:0:3e07:54ff:feaa:17 embeds 3c:07:54:aa:00:17 at 2026-12-07T15:00:00.000Z"));
  }

  @Test
  void aClientsOwnQueryBindsForTheValidLifetimeOfItsAdvertisedPrefixAndIsNotRewrittenPerPacket() {
    routerAdvertises();
    InetAddress temp = ip("2001:db8:77:0:71d5:5e19:cbd8:93e5");
    bindings.query(T, temp, CHROMEBOOK);
    bindings.query(T.plusSeconds(60), temp, CHROMEBOOK);
    assertThat(leases.at(temp, T))
        .isEqualTo(
            new Lease(
                temp,
                CHROMEBOOK,
                null,
                null,
                T,
                T.plusSeconds(7200),
                "DNS query: 2001:db8:77:0:71d5:5e19:cbd8:93e5 in a frame from 3c:07:54:aa:00:17 at 2026-12-07T15:00:00.000Z"));
    assertThat(changes).containsExactly("/2001:db8:77:0:71d5:5e19:cbd8:93e5 DNS_SOURCE");
  }

  @Test
  void aNeighborAdvertisementWithTheRouterFlagMarksARouterInsteadOfBindingIt() {
    bindings.nd(
        T,
        ip("2001:db8:77::1"),
        new NdMessage(136, ip("2001:db8:77::1"), true, true, true, null, null, ROUTER, List.of()),
        ROUTER);
    assertThat(leases.at(ip("2001:db8:77::1"), T)).isNull();
    assertThat(bindings.isRouter(ROUTER)).isTrue();
  }

  @Test
  void aDhcpv6ReplyForAnOpaqueDuidUsesTheMacTheClientsOwnSolicitCameFromUntilItsRelease() {
    String duid = "00020000000901020304";
    InetAddress leased = ip("2001:db8:77::108c");
    bindings.dhcp6(
        T,
        ip("fe80::42"),
        new Dhcp6Message(1, 1, 7, duid, null, null, null, List.of(), List.of()),
        CHROMEBOOK);
    Dhcp6Message.IaAddress a = new Dhcp6Message.IaAddress(leased, 3600, 7200, false, 1);
    bindings.dhcp6(
        T.plusSeconds(1),
        ip("fe80::1"),
        new Dhcp6Message(7, 7, 8, duid, null, null, "rm204-cb21.school.lan", List.of(a), List.of()),
        ROUTER);
    Lease l = leases.at(leased, T.plusSeconds(2));
    assertThat(l.mac()).isEqualTo(CHROMEBOOK);
    assertThat(l.hostname()).isEqualTo("rm204-cb21");
    assertThat(l.end()).isEqualTo(T.plusSeconds(7201));
    assertThat(l.evidence())
        .isEqualTo(
            "DHCPv6 REPLY: 2001:db8:77::108c to 3c:07:54:aa:00:17 valid 7200 s at 2026-12-07T15:00:01.000Z");
    bindings.dhcp6(
        T.plusSeconds(60),
        ip("fe80::42"),
        new Dhcp6Message(
            8,
            8,
            9,
            duid,
            null,
            null,
            null,
            List.of(new Dhcp6Message.IaAddress(leased, 0, 0, false, 1)),
            List.of()),
        CHROMEBOOK);
    assertThat(leases.at(leased, T.plusSeconds(61))).isNull();
  }

  @Test
  void linkLocalAndMulticastSourcesAreNeverBound() {
    bindings.query(T, ip("fe80::3e07:54ff:feaa:17"), CHROMEBOOK);
    bindings.nd(
        T,
        ip("fe80::9"),
        new NdMessage(
            135,
            ip("2001:db8:77::9"),
            false,
            false,
            false,
            null,
            "01:00:5e:00:00:01",
            null,
            List.of()),
        null);
    assertThat(leases.addressCount()).isZero();
  }
}
