package org.bellwatch.agent.ingest.syslog;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.metrics.BellwatchMeters;

/**
 * Admits or refuses each connection a TCP/TLS listener accepts, on the listener's own (server)
 * channel. Netty's {@code ServerBootstrap} puts this handler ahead of its acceptor, which registers
 * each accepted child with an event loop of the group; so the child arrives here as a message in
 * {@code channelRead}, on the accepting thread, before it belongs to any loop. A connection from
 * outside {@code allow} or over {@link ConnectionGate}'s limits is closed right here, its
 * descriptor freed before the next accept. Refusing it later, in the child's initializer, leaves
 * that close to the child's loop: under CPU starvation the accepting loop gets ahead of those
 * closes and the listener held 520 descriptors against a limit of 200 (the bound held only while
 * every loop kept up).
 *
 * <p>An admitted connection carries its {@link ConnectionGate.Slot} to the child's initializer in
 * {@link #SLOT}; its close frees the slot, whichever way it closes (also when its registration
 * fails: Netty then marks the close future closed).
 */
final class ConnectionAdmission extends ChannelInboundHandlerAdapter {
  /** The admitted connection's slot, read by the child's initializer. */
  static final AttributeKey<ConnectionGate.Slot> SLOT =
      AttributeKey.valueOf(ConnectionAdmission.class, "slot");

  private final SyslogListener cfg;
  private final ConnectionGate gate;
  private final BellwatchMeters meters;

  ConnectionAdmission(SyslogListener cfg, ConnectionGate gate, BellwatchMeters meters) {
    this.cfg = cfg;
    this.gate = gate;
    this.meters = meters;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    Channel child = (Channel) msg;
    // accept(2) returns the peer's address, so null would be a transport fault; a connection whose
    // sender cannot be checked against allow is not let in.
    InetSocketAddress remote = (InetSocketAddress) child.remoteAddress();
    InetAddress sender = remote == null ? null : remote.getAddress();
    if (sender == null || !SyslogServer.allowed(cfg, sender)) {
      meters.syslogRejected(cfg.name(), cfg.protocol());
      refuse(child);
      return;
    }
    ConnectionGate.Admission admission =
        gate.admit(
            sender,
            () -> {
              // Runs when a later newcomer takes this connection's slot: by then it has been
              // handed to its loop (below), where close() runs.
              meters.syslogConnectionClosed(cfg.name(), cfg.protocol(), ConnectionGate.EVICTED);
              child.close();
            });
    if (admission.slot() == null) {
      meters.syslogConnectionClosed(cfg.name(), cfg.protocol(), admission.refusal());
      refuse(child);
      return;
    }
    ConnectionGate.Slot slot = admission.slot();
    child.attr(SLOT).set(slot);
    child.closeFuture().addListener(f -> gate.release(slot));
    ctx.fireChannelRead(child);
  }

  /**
   * Closes a connection that no event loop owns yet, on this thread: the way Netty's own acceptor
   * closes a child whose registration failed ({@code Channel.close()} would need the child's loop).
   */
  private static void refuse(Channel child) {
    child.unsafe().closeForcibly();
  }
}
