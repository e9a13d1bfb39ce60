package org.bellwatch.agent.ingest.syslog;

import org.bellwatch.agent.parse.ParsedRecord;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket: a datagram is one message (RFC 5426 section 3.1). UDP has no way to slow a sender, so
 * a full pipeline queue drops the record and counts it ({@code reason="queue_full"}), and so does a sender
 * over its rate ({@code reason="sender_rate"}), checked first so that a flood costs no parsing.
 */
final class UdpSyslogHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpSyslogHandler.class);

  private final BellwatchConfig.SyslogListener cfg;
  private final SyslogReceiver receiver;
  private final SyslogSink sink;
  private final BellwatchMeters meters;
  private final SenderRateLimiter rate;

  UdpSyslogHandler(BellwatchConfig.SyslogListener cfg, SyslogReceiver receiver, SyslogSink sink,
      BellwatchMeters meters, SenderRateLimiter rate) {
    this.cfg = cfg;
    this.receiver = receiver;
    this.sink = sink;
    this.meters = meters;
    this.rate = rate;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    InetAddress sender = packet.sender().getAddress();
    if (!SyslogServer.allowed(cfg, sender)) {
      meters.syslogRejected(cfg.name(), cfg.protocol());
      return;
    }
    if (rate.take(sender) != 0) {
      meters.syslogDropped(cfg.name(), cfg.protocol(), "sender_rate");
      return;
    }
    // The receive buffer is max_frame_bytes + 1, so a longer datagram arrives truncated to that size.
    if (packet.content().readableBytes() > cfg.maxFrameBytes()) {
      meters.syslogOversize(cfg.name(), cfg.protocol());
      return;
    }
    ParsedRecord e = receiver.receive(ByteBufUtil.getBytes(packet.content()));
    if (e != null && !sink.offer(e)) {
      meters.syslogDropped(cfg.name(), cfg.protocol(), "queue_full");
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket serves every sender: never close it over one bad datagram.
    log.debug("syslog listener {}: {}", cfg.name(), cause.toString());
  }
}
