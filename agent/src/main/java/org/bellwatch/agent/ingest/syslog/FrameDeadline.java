package org.bellwatch.agent.ingest.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Closes a TCP/TLS connection whose frame, once begun, is not complete within {@code
 * frame_timeout_secs}: a client that trickles a byte every few seconds would otherwise hold its
 * slot for ever, since the idle timeout only sees silence (issue 17, finding 4). A real sender
 * writes a whole message at once; even over a slow link a frame of at most {@code max_frame_bytes}
 * takes well under the bound.
 *
 * <p>Sits after {@link SyslogFrameDecoder}. After each read, {@code midFrame} says whether bytes of
 * an unfinished frame (or, over TLS, of an unfinished record) are buffered; the bound runs from the
 * read in which the connection last completed a frame, or from the first read of the partial frame
 * when none was completed since. A busy sender whose reads rarely end on a frame boundary completes
 * frames all the time and so never comes near the bound. While the agent has stopped reading the
 * connection (pipeline full, sender over its rate) the sender cannot finish its frame, so the bound
 * is not applied then; it starts again once reading resumes. The fragment the decoder hands over
 * when the connection closes is dropped, not delivered as a message. Time is the event loop's
 * ticker, so tests step it.
 */
final class FrameDeadline extends ChannelInboundHandlerAdapter {
  private final long boundNanos;
  private final BooleanSupplier midFrame;
  private final Runnable onSlow;
  private final Runnable onFrame;

  /** Since when the buffered partial frame has been waiting to complete, or -1 when none is. */
  private long since = -1;

  private ScheduledFuture<?> timer;

  /**
   * Closed as slow: the unfinished frame the decoder hands over at close is a fragment, not a
   * message.
   */
  private boolean cut;

  /**
   * @param midFrame true while bytes of an unfinished frame are buffered
   * @param onSlow counts the close (the handler closes the channel itself)
   * @param onFrame told of each completed frame (the connection gate ranks connections by it)
   */
  FrameDeadline(long boundNanos, BooleanSupplier midFrame, Runnable onSlow, Runnable onFrame) {
    this.boundNanos = boundNanos;
    this.midFrame = midFrame;
    this.onSlow = onSlow;
    this.onFrame = onFrame;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (cut) {
      ReferenceCountUtil.release(msg);
      return;
    }
    // A frame completed: what is buffered after it began in this read at the earliest.
    since = now(ctx);
    onFrame.run();
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!midFrame.getAsBoolean()) {
      since = -1;
      cancel();
    } else {
      if (since < 0) {
        since = now(ctx);
      }
      if (timer == null) {
        arm(ctx, since + boundNanos - now(ctx));
      }
    }
    ctx.fireChannelReadComplete();
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    if (since < 0 || !midFrame.getAsBoolean()) {
      return;
    }
    long now = now(ctx);
    if (!ctx.channel().config().isAutoRead()) {
      since = now;
      arm(ctx, boundNanos);
    } else if (now - since < boundNanos) {
      arm(ctx, since + boundNanos - now);
    } else {
      cut = true;
      onSlow.run();
      ctx.close();
    }
  }

  private void arm(ChannelHandlerContext ctx, long delayNanos) {
    timer =
        ctx.executor().schedule(() -> expire(ctx), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private static long now(ChannelHandlerContext ctx) {
    return ctx.executor().ticker().nanoTime();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel();
    ctx.fireChannelInactive();
  }
}
