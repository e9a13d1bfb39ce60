package org.bellwatch.agent.ingest.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.bellwatch.agent.config.SyslogListener;
import org.bellwatch.agent.event.ParsedRecord;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP or TLS connection, after {@link SyslogFrameDecoder}. TCP can slow its sender, so nothing
 * is dropped: a record that cannot go into the pipeline queue now waits in {@code pending}, the
 * channel stops reading ({@code autoRead} off, so the kernel window closes and the sender buffers),
 * and reading resumes once {@code pending} has gone in. A record waits for two things, in this
 * order: its sender's token ({@link SenderRateLimiter}, shared by the sender's connections; a timer
 * on the event loop) and room in the queue ({@link SyslogSink#whenSpace}). {@code pending} holds at
 * most what one read had already decoded, so it is bounded by the read buffer. Records still
 * pending when the peer closes are delivered all the same.
 */
final class TcpSyslogHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TcpSyslogHandler.class);

  private final SyslogListener cfg;
  private final SyslogReceiver receiver;
  private final SyslogSink sink;
  private final BellwatchMeters meters;
  private final SenderRateLimiter rate;
  private final InetAddress sender;
  private final ArrayDeque<ParsedRecord> pending = new ArrayDeque<>();

  /** A timer or a whenSpace callback will call {@link #deliver}; until then nothing else does. */
  private boolean waiting;

  /** The head of {@code pending} already has its sender's token (it waits for the queue only). */
  private boolean headPaid;

  TcpSyslogHandler(
      SyslogListener cfg,
      SyslogReceiver receiver,
      SyslogSink sink,
      BellwatchMeters meters,
      SenderRateLimiter rate,
      InetAddress sender) {
    this.cfg = cfg;
    this.receiver = receiver;
    this.sink = sink;
    this.meters = meters;
    this.rate = rate;
    this.sender = sender;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ParsedRecord e = receiver.receive((byte[]) msg);
    if (e == null) {
      return;
    }
    pending.add(e);
    if (!waiting) {
      deliver(ctx);
    }
  }

  /**
   * On the channel's event loop: move pending records into the queue while allowed, then read
   * again.
   */
  private void deliver(ChannelHandlerContext ctx) {
    waiting = false;
    while (!pending.isEmpty()) {
      if (!headPaid) {
        long waitNanos = rate.take(sender);
        if (waitNanos > 0) {
          pause(ctx, "sender_rate");
          waiting = true;
          ctx.executor().schedule(() -> deliver(ctx), waitNanos, TimeUnit.NANOSECONDS);
          return;
        }
        headPaid = true;
      }
      if (!sink.offer(pending.peek())) {
        pause(ctx, "queue_full");
        waiting = true;
        sink.whenSpace(() -> ctx.executor().execute(() -> deliver(ctx)));
        return;
      }
      pending.poll();
      headPaid = false;
    }
    if (!ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void pause(ChannelHandlerContext ctx, String reason) {
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      meters.syslogPaused(cfg.name(), cfg.protocol(), reason);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and failed TLS handshakes are routine on a network; one line at debug, then close.
    log.debug(
        "syslog listener {}: closing {}: {}",
        cfg.name(),
        ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
