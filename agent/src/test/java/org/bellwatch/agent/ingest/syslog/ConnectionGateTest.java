package org.bellwatch.agent.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.config.BellwatchConfig;
import org.junit.jupiter.api.Test;

class ConnectionGateTest {
  static ConnectionGate gate(int maxConnections, int maxPerSender) {
    BellwatchConfig.SyslogListener l = SyslogServerTest.listener("t", "tcp", "127.0.0.0/8", null, null);
    return new ConnectionGate(SyslogServerTest.limits(l, maxConnections, l.idleTimeoutSecs(), l.receiveBufferBytes(),
        new BellwatchConfig.PerSender(100, 100, maxPerSender)));
  }

  @Test
  void oneSenderIsCutAtItsShareAndEveryoneAtTheListenerLimit() throws Exception {
    ConnectionGate gate = gate(5, 2);
    InetAddress a = InetAddress.getByName("10.0.0.1");
    InetAddress b = InetAddress.getByName("10.0.0.2");
    InetAddress c = InetAddress.getByName("10.0.0.3");
    InetAddress d = InetAddress.getByName("10.0.0.4");
    List<String> answers = new ArrayList<>();
    for (InetAddress sender : List.of(a, a, a, b, b, c, d)) {
      answers.add(String.valueOf(gate.admit(sender)));
    }
    assertThat(answers).containsExactly("null", "null", "sender_limit", "null", "null", "null", "over_limit");

    gate.release(a);
    assertThat(gate.admit(d)).as("a slot freed by one sender goes to another").isNull();
    assertThat(gate.admit(a)).isEqualTo("over_limit");
    gate.release(d);
    assertThat(gate.admit(a)).as("a sender below its share again").isNull();
    assertThat(gate.admit(a)).isEqualTo("over_limit");
  }
}
