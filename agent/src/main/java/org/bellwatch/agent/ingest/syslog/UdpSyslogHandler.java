package org.bellwatch.agent.ingest.syslog;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One UDP socket: a datagram is one message (RFC 5426 section 3.1). The records of one read burst
 * (the datagrams Netty reads on one readiness event, through {@code recvmmsg} where the epoll
 * transport has it) go to the pipeline together at the burst's end, so the queue's lock is taken
 * and the pipeline thread woken once per burst, not once per datagram; a burst is cut at {@link
 * #MAX_BATCH} records. UDP has no way to slow a sender, so records that do not fit in the pipeline
 * queue are dropped and counted ({@code reason="queue_full"}), and so are datagrams of a sender
 * over its rate ({@code reason="sender_rate"}), checked first so that a flood costs no parsing.
 */
final class UdpSyslogHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpSyslogHandler.class);

  /**
   * Records handed over at once at most: small against the queue's capacity, large against a burst.
   */
  static final int MAX_BATCH = 256;

  private final SyslogListener cfg;
  private final SyslogReceiver receiver;
  private final SyslogSink sink;
  private final BellwatchMeters meters;
  private final SenderRateLimiter rate;

  /** Looked up once: during a flood every datagram is counted here. */
  private final Counter senderRateDrops;

  private final List<ParsedRecord> batch = new ArrayList<>(MAX_BATCH);

  /**
   * The datagram's bytes, copied out of Netty's direct buffer; reused, since parsing keeps no
   * reference.
   */
  private final byte[] frame;

  UdpSyslogHandler(
      SyslogListener cfg,
      SyslogReceiver receiver,
      SyslogSink sink,
      BellwatchMeters meters,
      SenderRateLimiter rate) {
    this.cfg = cfg;
    this.receiver = receiver;
    this.sink = sink;
    this.meters = meters;
    this.rate = rate;
    this.senderRateDrops = meters.syslogDroppedCounter(cfg.name(), cfg.protocol(), "sender_rate");
    this.frame = new byte[SyslogServer.udpSlotBytes(cfg)];
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    InetAddress sender = packet.sender().getAddress();
    if (!SyslogServer.allowed(cfg, sender)) {
      meters.syslogRejected(cfg.name(), cfg.protocol());
      return;
    }
    if (rate.take(sender) != 0) {
      senderRateDrops.increment();
      return;
    }
    // Each datagram is read into max_frame_bytes + 1 bytes, so a longer one arrives truncated to
    // that size.
    ByteBuf content = packet.content();
    int length = content.readableBytes();
    if (length > cfg.maxFrameBytes()) {
      meters.syslogOversize(cfg.name(), cfg.protocol());
      return;
    }
    content.getBytes(content.readerIndex(), frame, 0, length);
    ParsedRecord e = receiver.receive(frame, length);
    if (e != null) {
      batch.add(e);
      if (batch.size() == MAX_BATCH) {
        handOver();
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    handOver();
    ctx.fireChannelReadComplete();
  }

  private void handOver() {
    if (!batch.isEmpty() && !sink.offerAll(batch)) {
      meters.syslogDropped(cfg.name(), cfg.protocol(), "queue_full", batch.size());
    }
    batch.clear();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket serves every sender: never close it over one bad datagram.
    log.debug("syslog listener {}: {}", cfg.name(), cause.toString());
  }
}
