package org.bellwatch.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.event.Lease;
import org.junit.jupiter.api.Test;

class LeaseTableTest {
  static final Instant T0 = Instant.parse("2026-09-15T15:00:00Z");
  final LeaseTable table = new LeaseTable();

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void anAckBindsTheAddressForTheLeaseTimeWithTheHostNameTheClientAnnounced() throws Exception {
    table.observeHostname("aa:aa:aa:aa:aa:01", "RM101-CB01");
    table.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", null, T0, 3600, "ack1");

    Lease expected =
        new Lease(
            ip("10.0.0.5"),
            "aa:aa:aa:aa:aa:01",
            "RM101-CB01",
            null,
            T0,
            T0.plusSeconds(3600),
            "ack1");
    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(10))).isEqualTo(expected);
    assertThat(table.at(ip("10.0.0.5"), T0.minusSeconds(1))).isNull();
    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(3600))).as("expired").isNull();
  }

  @Test
  void theRelayCircuitIdSeenForAClientIsKeptOnItsLease() throws Exception {
    table.observeCircuit("aa:aa:aa:aa:aa:01", "sw2/0/14");
    table.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "cb1", T0, 3600, "ack1");

    assertThat(table.at(ip("10.0.0.5"), T0).circuitId()).isEqualTo("sw2/0/14");
  }

  @Test
  void aRenewalExtendsTheSameBinding() throws Exception {
    table.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "cb1", T0, 3600, "ack1");
    table.acknowledge(
        ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", null, T0.plusSeconds(1800), 3600, "ack2");

    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(5000)))
        .isEqualTo(
            new Lease(
                ip("10.0.0.5"),
                "aa:aa:aa:aa:aa:01",
                "cb1",
                null,
                T0,
                T0.plusSeconds(5400),
                "ack1"));
  }

  @Test
  void afterAReleaseAndReuseEachInstantBelongsToTheDeviceThatHeldTheAddressThen() throws Exception {
    table.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "first", T0, 3600, "ack1");
    table.end(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", T0.plusSeconds(600));
    table.acknowledge(
        ip("10.0.0.5"), "aa:aa:aa:aa:aa:02", "second", T0.plusSeconds(1200), 3600, "ack2");

    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(300)).hostname()).isEqualTo("first");
    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(900)))
        .as("released, not yet reused")
        .isNull();
    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(1300)).hostname()).isEqualTo("second");
  }

  @Test
  void anAckToAnotherDeviceEndsThePreviousBindingAtThatMoment() throws Exception {
    table.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "first", T0, 3600, "ack1");
    table.acknowledge(
        ip("10.0.0.5"), "aa:aa:aa:aa:aa:02", "second", T0.plusSeconds(100), 3600, "ack2");

    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(99)).hostname()).isEqualTo("first");
    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(100)).hostname()).isEqualTo("second");
  }

  @Test
  void aReleaseFromAnotherDeviceDoesNotEndSomeoneElsesLease() throws Exception {
    table.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "first", T0, 3600, "ack1");
    table.end(ip("10.0.0.5"), "aa:aa:aa:aa:aa:99", T0.plusSeconds(10));

    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(20)).hostname()).isEqualTo("first");
  }

  @Test
  void everyNewOrChangedRecordIsReportedInOrderAndUnchangedRenewalsAreNot() throws Exception {
    List<Lease> changes = new ArrayList<>();
    LeaseTable t = new LeaseTable(changes::add);
    t.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "cb1", T0, 3600, "ack1");
    t.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "cb1", T0.plusSeconds(1800), 3600, "ack2");
    t.acknowledge(
        ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "cb1", T0.plusSeconds(1800), 3600, "ack2 again");
    t.end(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", T0.plusSeconds(2000));

    Lease first =
        new Lease(
            ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "cb1", null, T0, T0.plusSeconds(3600), "ack1");
    assertThat(changes)
        .containsExactly(
            first,
            new Lease(
                ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "cb1", null, T0, T0.plusSeconds(5400), "ack1"),
            new Lease(
                ip("10.0.0.5"),
                "aa:aa:aa:aa:aa:01",
                "cb1",
                null,
                T0,
                T0.plusSeconds(2000),
                "ack1"));
  }

  @Test
  void aBindingRenewedForMoreThanADayContinuesInANewRecordFromTheRenewal() throws Exception {
    Instant dayLater = T0.plus(LeaseTable.RECORD_SPAN).plusSeconds(60);
    table.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "cb1", T0, 86400 * 2, "ack1");
    table.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", null, dayLater, 86400 * 2, "ack2");

    assertThat(table.at(ip("10.0.0.5"), dayLater.minusSeconds(1)))
        .isEqualTo(
            new Lease(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", "cb1", null, T0, dayLater, "ack1"));
    assertThat(table.at(ip("10.0.0.5"), dayLater))
        .isEqualTo(
            new Lease(
                ip("10.0.0.5"),
                "aa:aa:aa:aa:aa:01",
                "cb1",
                null,
                dayLater,
                dayLater.plusSeconds(86400 * 2),
                "ack2"));
    assertThat(table.recordCount()).isEqualTo(2);
  }

  @Test
  void pruningForgetsRecordsThatEndedBeforeTheCutoffAndTheHostNamesOfDevicesLeftWithout()
      throws Exception {
    table.observeHostname("aa:aa:aa:aa:aa:01", "old");
    table.observeHostname("aa:aa:aa:aa:aa:02", "recent");
    table.acknowledge(ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", null, T0, 3600, "ack1");
    table.acknowledge(
        ip("10.0.0.6"), "aa:aa:aa:aa:aa:02", null, T0.plus(Duration.ofDays(9)), 3600, "ack2");
    table.prune(T0.plus(Duration.ofDays(2)));
    table.observeHostname("aa:aa:aa:aa:aa:03", "announced");
    table.prune(T0.plus(Duration.ofDays(2)));

    assertThat(table.recordCount()).isEqualTo(1);
    assertThat(table.addressCount()).isEqualTo(1);
    assertThat(table.at(ip("10.0.0.5"), T0)).isNull();
    assertThat(table.at(ip("10.0.0.6"), T0.plus(Duration.ofDays(9))).hostname())
        .isEqualTo("recent");
    assertThat(table.hostnameCount())
        .as("recent, and announced since the previous prune")
        .isEqualTo(2);
    table.acknowledge(
        ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", null, T0.plus(Duration.ofDays(10)), 3600, "ack3");
    assertThat(table.at(ip("10.0.0.5"), T0.plus(Duration.ofDays(10))).hostname())
        .as("forgotten")
        .isNull();
  }

  @Test
  void restoredRecordsAnswerLookupsAndTeachHostNamesForLaterAcks() throws Exception {
    Lease stored =
        new Lease(
            ip("10.0.0.5"),
            "aa:aa:aa:aa:aa:01",
            "cb1",
            "sw1/0/3",
            T0,
            T0.plusSeconds(3600),
            "ack1");
    table.restore(stored);
    table.acknowledge(
        ip("10.0.0.5"), "aa:aa:aa:aa:aa:01", null, T0.plusSeconds(1800), 3600, "ack2");

    assertThat(table.at(ip("10.0.0.5"), T0.plusSeconds(4000)))
        .isEqualTo(
            new Lease(
                ip("10.0.0.5"),
                "aa:aa:aa:aa:aa:01",
                "cb1",
                "sw1/0/3",
                T0,
                T0.plusSeconds(5400),
                "ack1"));
    assertThat(table.recordCount()).isEqualTo(1);
  }
}
