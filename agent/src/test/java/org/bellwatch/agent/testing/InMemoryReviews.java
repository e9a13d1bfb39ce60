package org.bellwatch.agent.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.access.AuditLog;
import org.bellwatch.agent.event.StorageException;
import org.bellwatch.agent.review.Review;
import org.bellwatch.agent.review.Reviews;

/**
 * Reviews in a sorted map by domain, each step appended with its audit entry, for route tests
 * without the store.
 */
public final class InMemoryReviews implements Reviews {
  private final Map<String, Review> byDomain = new TreeMap<>();
  private final AuditLog audit;

  public InMemoryReviews(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public synchronized Optional<Review> get(String domain) {
    return Optional.ofNullable(byDomain.get(domain));
  }

  @Override
  public synchronized List<Review> list() {
    return new ArrayList<>(byDomain.values());
  }

  @Override
  public synchronized Review append(String domain, Review.Entry step, AuditEntry audited)
      throws StorageException {
    List<Review.Entry> history =
        new ArrayList<>(get(domain).map(Review::history).orElse(List.of()));
    history.add(step);
    Review r = new Review(domain, step.action(), history);
    audit.append(audited);
    byDomain.put(domain, r);
    return r;
  }
}
