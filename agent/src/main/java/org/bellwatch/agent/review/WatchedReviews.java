package org.bellwatch.agent.review;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bellwatch.agent.access.AuditEntry;
import org.bellwatch.agent.event.StorageException;

/**
 * Reviews that tell whoever watches them once a step was stored (the notifier mails it at once
 * instead of at its next poll). The watchers run on the appending thread after the store has the
 * step; they must only signal, never block.
 */
public final class WatchedReviews implements Reviews {
  private final Reviews inner;
  private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

  public WatchedReviews(Reviews inner) {
    this.inner = inner;
  }

  public void watch(Runnable afterAppend) {
    watchers.add(afterAppend);
  }

  @Override
  public Optional<Review> get(String domain) throws StorageException {
    return inner.get(domain);
  }

  @Override
  public List<Review> list() throws StorageException {
    return inner.list();
  }

  @Override
  public Review append(String domain, Review.Entry step, AuditEntry audited)
      throws StorageException {
    Review r = inner.append(domain, step, audited);
    watchers.forEach(Runnable::run);
    return r;
  }
}
