package org.bellwatch.agent.ingest.syslog;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * How a syslog event loop waits for its sockets. Netty's default blocks in {@code epoll_wait} as
 * soon as a pass finds nothing ready, so under load the loop is woken once per handful of
 * datagrams; each wake-up is a context switch for the loop and a wake call for the sending side,
 * and in a virtual machine those switches took about a sixth of the agent's CPU at 200k msg/s
 * (docs/benchmarks.md, "Syslog ingest", fourth round). Here a loop that finds nothing ready first
 * naps {@link #NAP_NANOS} and looks once more; only if that look finds nothing too does it block.
 * Under load, datagrams wait in the socket's receive buffer for at most a nap (0.5 ms is a few
 * hundred datagrams at the highest rates, well inside the buffer) and are read in larger {@code
 * recvmmsg} batches; an idle loop still blocks, with one nap per wake-up. Loops with tasks pending
 * never nap; TCP connections on the same loops wait at most a nap longer too. One instance per
 * event loop.
 */
final class NappingSelectStrategy implements SelectStrategy {
  static final long NAP_NANOS = 500_000;
  static final SelectStrategyFactory FACTORY =
      () -> new NappingSelectStrategy(NappingSelectStrategy::nap);

  /** Naps {@link #NAP_NANOS}; injected so that tests see when the loop naps without timing it. */
  private final Runnable napper;

  /** The last pass napped and found nothing: block now. */
  private boolean napped;

  NappingSelectStrategy(Runnable napper) {
    this.napper = napper;
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    int ready = selectNow.get();
    if (ready > 0 || hasTasks) {
      napped = false;
      return ready;
    }
    if (napped) {
      napped = false;
      return SELECT;
    }
    napped = true;
    napper.run();
    return CONTINUE;
  }

  /**
   * Nobody unparks an event loop (Netty wakes it through an eventfd), but a park may still end
   * early; an interrupted thread (shutdown) would not park at all, so it stops napping.
   */
  static void nap() {
    long until = System.nanoTime() + NAP_NANOS;
    long left = NAP_NANOS;
    while (left > 0 && !Thread.currentThread().isInterrupted()) {
      LockSupport.parkNanos(left);
      left = until - System.nanoTime();
    }
  }
}
