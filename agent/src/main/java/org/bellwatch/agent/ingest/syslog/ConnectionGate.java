package org.bellwatch.agent.ingest.syslog;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import org.bellwatch.agent.config.BellwatchConfig;

/**
 * Admits a TCP/TLS connection at accept, before TLS or any read, so that a flood of idle connections is
 * cut at once: at most {@code max_connections} open on the listener, and at most
 * {@code max_connections_per_sender} from one address, so that one sender cannot hold every slot. The
 * table of senders holds only addresses with an open connection, so it is bounded by
 * {@code max_connections}. Called from several event loops, hence synchronized.
 */
final class ConnectionGate {
  /** Why a connection was refused: the reason tag of {@code bellwatch_syslog_connections_closed_total}. */
  static final String OVER_LIMIT = "over_limit";
  static final String SENDER_LIMIT = "sender_limit";

  private final int maxConnections;
  private final int maxPerSender;
  private final Map<InetAddress, Integer> perSender = new HashMap<>();
  private int open;

  ConnectionGate(BellwatchConfig.SyslogListener cfg) {
    this.maxConnections = cfg.maxConnections();
    this.maxPerSender = cfg.perSender().maxConnections();
  }

  /** Null when the connection is admitted (then {@link #release} must follow its close), else the reason. */
  synchronized String admit(InetAddress sender) {
    if (open >= maxConnections) {
      return OVER_LIMIT;
    }
    int mine = perSender.getOrDefault(sender, 0);
    if (mine >= maxPerSender) {
      return SENDER_LIMIT;
    }
    perSender.put(sender, mine + 1);
    open++;
    return null;
  }

  synchronized void release(InetAddress sender) {
    open--;
    perSender.computeIfPresent(sender, (k, n) -> n == 1 ? null : n - 1);
  }
}
