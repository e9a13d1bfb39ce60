package org.bellwatch.agent.config;

/**
 * Fairness between the senders of one listener, so that one flooding sender cannot crowd out the
 * others. The defaults are far above what a school's filter sends (a busy one sends a few thousand
 * lines a second).
 *
 * @param ratePerSec messages per second one sender address may send on average (token bucket); 0:
 *     no limit. UDP messages beyond it are dropped and counted; TCP/TLS connections beyond it are
 *     read more slowly (nothing is lost)
 * @param burst messages one sender may send at once above the average (the bucket's size)
 * @param maxConnections TCP/TLS connections one sender address may hold open at once
 */
public record PerSender(int ratePerSec, int burst, int maxConnections) {
  public static final PerSender DEFAULTS = new PerSender(50_000, 50_000, 32);
}
