package org.bellwatch.agent.store;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.bellwatch.agent.event.Lease;

/**
 * What the pipeline resumes from after a restart: how far each file source (and each intake
 * journal) was read, and the DHCP lease history. Both are written in the same batch as the events
 * they produced ({@link EventStore#write}), so they never run ahead of what is stored.
 */
public interface SourceState {
  /** The stored offset of a file source, if any. */
  OptionalLong offset(String source) throws StoreException;

  /** Every stored offset whose source starts with {@code prefix}, by source. */
  Map<String, Long> offsets(String prefix) throws StoreException;

  /**
   * Calls {@code consumer} with every stored lease record that ends after {@code after}, in start
   * order (records of one address in their time order): the history the pipeline starts with.
   */
  void forEachLease(Instant after, Consumer<Lease> consumer) throws StoreException;

  /**
   * Deletes lease records that started before {@code cutoff}. Records cover at most a day or so
   * ({@link org.bellwatch.agent.identity.LeaseTable#RECORD_SPAN} plus the lease time), so a cutoff
   * of the event retention never removes the record of a device that is still on the network.
   */
  void deleteLeasesBefore(Instant cutoff) throws StoreException;
}
