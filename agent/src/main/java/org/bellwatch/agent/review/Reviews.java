package org.bellwatch.agent.review;

import java.util.List;
import java.util.Optional;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.event.StorageException;

/** Reviews by domain. Every change is kept together with its audit entry: both or neither. */
public interface Reviews {
  Optional<Review> get(String domain) throws StorageException;

  /** Every review, by domain. */
  List<Review> list() throws StorageException;

  /**
   * Appends {@code step} to the domain's review (creating it) and writes {@code audited} with it.
   */
  Review append(String domain, Review.Entry step, AuditEntry audited) throws StorageException;
}
