package org.bellwatch.agent.ingest.syslog;

import org.bellwatch.agent.parse.ParsedRecord;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.bellwatch.agent.config.BellwatchConfig;
import org.bellwatch.agent.metrics.BellwatchMeters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP or TLS connection, after {@link SyslogFrameDecoder}. TCP can slow its sender, so nothing is
 * dropped: when the pipeline queue is full the record waits in {@code pending}, the channel stops reading
 * ({@code autoRead} off, so the kernel window closes and the sender buffers), and reading resumes once the
 * queue has room and {@code pending} has gone in. {@code pending} holds at most what one read had already
 * decoded, so it is bounded by the read buffer. Records still pending when the peer closes are delivered
 * all the same.
 */
final class TcpSyslogHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TcpSyslogHandler.class);

  private final BellwatchConfig.SyslogListener cfg;
  private final SyslogReceiver receiver;
  private final SyslogSink sink;
  private final BellwatchMeters meters;
  private final AtomicInteger open;
  private final ArrayDeque<ParsedRecord> pending = new ArrayDeque<>();
  private boolean waiting;

  TcpSyslogHandler(BellwatchConfig.SyslogListener cfg, SyslogReceiver receiver, SyslogSink sink,
      BellwatchMeters meters, AtomicInteger open) {
    this.cfg = cfg;
    this.receiver = receiver;
    this.sink = sink;
    this.meters = meters;
    this.open = open;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    open.incrementAndGet();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    open.decrementAndGet();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ParsedRecord e = receiver.receive((byte[]) msg);
    if (e == null) {
      return;
    }
    if (pending.isEmpty() && sink.offer(e)) {
      return;
    }
    pending.add(e);
    if (ctx.channel().config().isAutoRead()) {
      ctx.channel().config().setAutoRead(false);
      meters.syslogPaused(cfg.name(), cfg.protocol());
    }
    awaitSpace(ctx);
  }

  private void awaitSpace(ChannelHandlerContext ctx) {
    if (!waiting) {
      waiting = true;
      sink.whenSpace(() -> ctx.executor().execute(() -> resume(ctx)));
    }
  }

  /** On the channel's event loop: move pending records into the queue, then read again. */
  private void resume(ChannelHandlerContext ctx) {
    waiting = false;
    while (!pending.isEmpty()) {
      if (!sink.offer(pending.peek())) {
        awaitSpace(ctx);
        return;
      }
      pending.poll();
    }
    ctx.channel().config().setAutoRead(true);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and failed TLS handshakes are routine on a network; one line at debug, then close.
    log.debug("syslog listener {}: closing {}: {}", cfg.name(), ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
