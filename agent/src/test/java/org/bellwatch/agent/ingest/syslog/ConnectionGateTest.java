package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bellwatch.agent.config.PerSender;
import org.bellwatch.agent.config.SyslogListener;
import org.junit.jupiter.api.Test;

class ConnectionGateTest {
  static ConnectionGate gate(int maxConnections, int maxPerSender) {
    SyslogListener l = SyslogServerTest.listener("t", "tcp", "127.0.0.0/8", null, null);
    return new ConnectionGate(
        SyslogServerTest.limits(
            l,
            maxConnections,
            l.idleTimeoutSecs(),
            l.receiveBufferBytes(),
            new PerSender(100, 100, maxPerSender)));
  }

  /** Which connections the gate closed to make room, by name. */
  final List<String> evicted = new ArrayList<>();

  final Map<String, ConnectionGate.Slot> slots = new HashMap<>();

  /**
   * Admits the connection called {@code name} from {@code sender}: null when admitted, else the
   * refusal.
   */
  String connect(ConnectionGate gate, String name, InetAddress sender) {
    ConnectionGate.Admission a = gate.admit(sender, () -> evicted.add(name));
    if (a.slot() != null) {
      slots.put(name, a.slot());
    }
    return a.refusal();
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void oneSenderIsCutAtItsShareAndANewcomerIsRefusedWhenEverySenderHoldsAsFewAsItWould()
      throws Exception {
    ConnectionGate gate = gate(3, 2);
    List<String> answers = new ArrayList<>();
    String[] senders = {"10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"};
    for (int i = 0; i < senders.length; i++) {
      answers.add(String.valueOf(connect(gate, "c" + i, ip(senders[i]))));
    }
    // c4 finds the listener full (2 and 1) and takes a slot of 10.0.0.1, which held the most; c5
    // then finds
    // 1, 1 and 1: it would hold as many as anyone, so it is refused.
    assertThat(answers)
        .containsExactly("null", "null", "sender_limit", "null", "null", "over_limit");
    assertThat(evicted).containsExactly("c0");

    gate.release(slots.get("c3"));
    assertThat(connect(gate, "d", ip("10.0.0.4")))
        .as("a slot freed by one sender goes to another")
        .isNull();
    assertThat(connect(gate, "a", ip("10.0.0.1"))).isEqualTo("over_limit");
    assertThat(evicted).containsExactly("c0");
  }

  @Test
  void aFullListenerGivesANewSenderTheStalestSlotOfTheAddressHoldingTheMost() throws Exception {
    ConnectionGate gate = gate(6, 32);
    for (int i = 0; i < 4; i++) {
      assertThat(connect(gate, "hog" + i, ip("10.0.0.9"))).isNull();
    }
    assertThat(connect(gate, "other0", ip("10.0.0.8"))).isNull();
    assertThat(connect(gate, "other1", ip("10.0.0.8"))).isNull();
    // hog0 delivers frames; hog1 is the connection of the biggest holder that has gone longest
    // without one.
    gate.framed(slots.get("hog0"));

    assertThat(connect(gate, "filter", ip("10.0.0.5"))).as("the filter gets in").isNull();
    assertThat(evicted).containsExactly("hog1");
    assertThat(connect(gate, "filter2", ip("10.0.0.5"))).isNull();
    assertThat(evicted).containsExactly("hog1", "hog2");
    // Now 2 (hog), 2 (other), 2 (filter): nobody holds more than a newcomer would after a swap.
    assertThat(connect(gate, "filter3", ip("10.0.0.5"))).isEqualTo("over_limit");
    assertThat(connect(gate, "hog-again", ip("10.0.0.9")))
        .as("the evicted address cannot win its slot back")
        .isEqualTo("over_limit");
    assertThat(evicted).containsExactly("hog1", "hog2");

    // The close that follows an eviction releases nothing twice.
    gate.release(slots.get("hog1"));
    assertThat(connect(gate, "filter4", ip("10.0.0.5"))).as("still full").isEqualTo("over_limit");
  }

  @Test
  void amongAddressesTiedForTheMostTheOneHoldingTheStalestConnectionPays() throws Exception {
    ConnectionGate gate = gate(4, 32);
    connect(gate, "a0", ip("10.0.0.1"));
    connect(gate, "b0", ip("10.0.0.2"));
    connect(gate, "a1", ip("10.0.0.1"));
    connect(gate, "b1", ip("10.0.0.2"));
    gate.framed(slots.get("a0"));
    gate.framed(slots.get("a1"));

    assertThat(connect(gate, "c0", ip("10.0.0.3"))).isNull();
    assertThat(evicted)
        .as("b's connections sent nothing; a's are delivering")
        .containsExactly("b0");
  }

  @Test
  void whileMaxConnectionsEvictedConnectionsAreStillClosingANewcomerIsRefusedInsteadOfEvicting()
      throws Exception {
    ConnectionGate gate = gate(6, 32);
    for (int i = 0; i < 6; i++) {
      connect(gate, "a" + i, ip("10.0.0.1"));
    }
    // No evicted connection has closed yet (its event loop is starved): each still holds a
    // descriptor.
    String[][] newcomers = {
      {"b0", "10.0.0.2"}, {"b1", "10.0.0.2"}, {"b2", "10.0.0.2"},
      {"c0", "10.0.0.3"}, {"c1", "10.0.0.3"}, {"d0", "10.0.0.4"}
    };
    for (String[] n : newcomers) {
      assertThat(connect(gate, n[0], ip(n[1]))).as(n[0]).isNull();
    }
    assertThat(evicted).containsExactly("a0", "a1", "a2", "a3", "b0", "a4");
    assertThat(connect(gate, "e0", ip("10.0.0.5")))
        .as("six open and six closing: a seventh eviction would hold a thirteenth descriptor")
        .isEqualTo("over_limit");

    gate.release(slots.get("a0"));
    assertThat(connect(gate, "e0", ip("10.0.0.5")))
        .as("one evicted connection has closed")
        .isNull();
    assertThat(evicted).containsExactly("a0", "a1", "a2", "a3", "b0", "a4", "b1");
    assertThat(gate.open()).isEqualTo(6);
  }
}
