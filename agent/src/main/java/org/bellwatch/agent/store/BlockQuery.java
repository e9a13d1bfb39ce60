package org.bellwatch.agent.store;

import java.time.Instant;

/**
 * A slice of block events, newest first.
 *
 * @param from inclusive lower bound, or null
 * @param to exclusive upper bound, or null
 * @param instructional only events with this flag, or null for all
 * @param limit at most this many events
 */
public record BlockQuery(Instant from, Instant to, Boolean instructional, int limit) {}
