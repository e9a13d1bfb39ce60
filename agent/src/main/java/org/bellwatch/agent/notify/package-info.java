/**
 * Telling people of review steps: IT hears of each unblock request, the teachers who asked hear
 * IT's decision, by e-mail through the district's relay. The reviews are the outbox ({@link
 * org.bellwatch.agent.store.ReviewProgress} records what was told), so a step is told once a relay
 * took it, and at least once across a crash.
 */
package org.bellwatch.agent.notify;
