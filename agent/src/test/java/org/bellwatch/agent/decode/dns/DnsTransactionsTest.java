package org.bellwatch.agent.decode.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.decode.UdpDatagram;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.junit.jupiter.api.Test;

class DnsTransactionsTest {
  private static final InetAddress CLIENT = address("10.0.0.5");
  private static final InetAddress SERVER = address("10.0.0.53");

  private final List<String> outcomes = new ArrayList<>();
  private final DnsTransactions.Listener listener =
      (o, latency) -> outcomes.add(o.id() + " " + latency);
  private final DnsTransactions tx = new DnsTransactions(2, 5_000_000L);

  private static InetAddress address(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DnsMessage msg(int id, boolean response) {
    return new DnsMessage(
        id,
        response,
        0,
        0,
        List.of(new DnsQuestion("example.org", 1, 1)),
        List.of(),
        List.of(),
        List.of());
  }

  private void query(long t, int port, int id) {
    tx.observe(
        new UdpDatagram(t, CLIENT, SERVER, port, 53, "udp", ByteBuffer.allocate(0)),
        msg(id, false),
        listener);
  }

  private void response(long t, int port, int id) {
    tx.observe(
        new UdpDatagram(t, SERVER, CLIENT, 53, port, "udp", ByteBuffer.allocate(0)),
        msg(id, true),
        listener);
  }

  @Test
  void aResponseOnTheSameFiveTupleAndIdAnswersTheQueryWithItsLatency() {
    query(1_000, 40000, 7);
    response(4_500, 40000, 7);

    assertThat(outcomes).containsExactly("answered 3500");
    assertThat(tx.pending()).isZero();
  }

  @Test
  void aResponseWithAnotherIdOrPortOrASecondResponseIsUnmatched() {
    query(0, 40000, 7);
    response(1, 40000, 8);
    response(2, 40001, 7);
    response(3, 40000, 7);
    response(4, 40000, 7);

    assertThat(outcomes)
        .containsExactly(
            "unmatched_response 0", "unmatched_response 0", "answered 3", "unmatched_response 0");
  }

  @Test
  void aQueryWithoutResponseIsUnansweredAfterTheTimeoutInPacketTime() {
    query(0, 40000, 7);
    tx.advanceTo(5_000_000L, listener);
    assertThat(outcomes).isEmpty();
    tx.advanceTo(5_000_001L, listener);
    assertThat(outcomes).containsExactly("unanswered 0");
  }

  @Test
  void aRetransmittedQueryKeepsTheFirstSendTimeAndAFullTableEvictsTheOldest() {
    query(0, 1, 1);
    query(10, 1, 1);
    query(20, 2, 2);
    query(30, 3, 3);
    response(40, 1, 1);
    response(50, 3, 3);

    assertThat(outcomes)
        .containsExactly("duplicate_query 0", "evicted 0", "unmatched_response 0", "answered 20");
  }

  @Test
  void outcomesBecomeCountersAndALatencyTimer() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BellwatchMeters meters = new BellwatchMeters(registry);
    DnsTransactions.Listener toMeters = (o, latency) -> meters.dnsTransaction(o.id(), latency);
    tx.observe(
        new UdpDatagram(0, CLIENT, SERVER, 1, 53, "tcp", ByteBuffer.allocate(0)),
        msg(1, false),
        toMeters);
    tx.observe(
        new UdpDatagram(2_000, SERVER, CLIENT, 53, 1, "tcp", ByteBuffer.allocate(0)),
        msg(1, true),
        toMeters);
    tx.finish(toMeters);

    assertThat(
            registry
                .get(BellwatchMeters.DNS_TRANSACTIONS)
                .tag("outcome", "answered")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(registry.get(BellwatchMeters.DNS_LATENCY).timer().totalTime(TimeUnit.MICROSECONDS))
        .isEqualTo(2_000.0);
    assertThat(
            registry.find(BellwatchMeters.DNS_TRANSACTIONS).tag("outcome", "unanswered").counter())
        .isNull();
  }
}
